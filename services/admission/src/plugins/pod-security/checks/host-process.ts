// Baseline "HostProcess": Windows HostProcess containers are forbidden.
import { ALLOWED, forbid, type Check } from '../check.js';
import { setters } from '../format.js';
import { containerName, containersOf, scOf } from '../pod-types.js';

export const hostProcessCheck: Check = {
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod(_meta, spec) {
        const pod = scOf(spec)?.windowsOptions?.hostProcess === true;
        const bad = containersOf(spec)
          .filter((c) => scOf(c)?.windowsOptions?.hostProcess === true)
          .map(containerName);
        const who = setters(pod, bad);
        if (who.length === 0) return ALLOWED;
        return forbid(
          'hostProcess',
          `${who.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`,
        );
      },
    },
  ],
};
