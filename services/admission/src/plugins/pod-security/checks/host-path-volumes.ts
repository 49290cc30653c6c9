// Baseline "HostPath Volumes".
import { ALLOWED, forbid, type Check } from '../check.js';
import { joinQuote, pluralize } from '../format.js';

export const hostPathVolumesCheck: Check = {
  id: 'hostPathVolumes',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod(_meta, spec) {
        const bad = (Array.isArray(spec.volumes) ? spec.volumes : [])
          .filter((v) => v && v.hostPath != null)
          .map((v) => String(v.name ?? ''));
        if (bad.length === 0) return ALLOWED;
        return forbid(
          'hostPath volumes',
          `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}`,
        );
      },
    },
  ],
};
