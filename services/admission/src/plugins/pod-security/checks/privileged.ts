// Baseline "Privileged Containers".
import { ALLOWED, forbid, type Check } from '../check.js';
import { joinQuote, pluralize } from '../format.js';
import { containerName, containersOf, scOf } from '../pod-types.js';

export const privilegedCheck: Check = {
  id: 'privileged',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod(_meta, spec) {
        const bad = containersOf(spec)
          .filter((c) => scOf(c)?.privileged === true)
          .map(containerName);
        if (bad.length === 0) return ALLOWED;
        return forbid(
          'privileged',
          `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.privileged=true`,
        );
      },
    },
  ],
};
