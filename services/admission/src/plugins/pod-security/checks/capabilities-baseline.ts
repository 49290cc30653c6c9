// Baseline "Capabilities": only the container runtime's default set may be added.
import { ALLOWED, forbid, type Check } from '../check.js';
import { joinQuote, pluralize, sortedSet } from '../format.js';
import { containerName, containersOf, scOf } from '../pod-types.js';

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

export const capabilitiesBaselineCheck: Check = {
  id: 'capabilities_baseline',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod(_meta, spec) {
        const bad: string[] = [];
        const caps: string[] = [];
        for (const c of containersOf(spec)) {
          const add = scOf(c)?.capabilities?.add;
          const extra = (Array.isArray(add) ? add : [])
            .map(String)
            .filter((cap) => !BASELINE_CAPABILITIES.has(cap));
          if (extra.length === 0) continue;
          bad.push(containerName(c));
          caps.push(...extra);
        }
        if (bad.length === 0) return ALLOWED;
        return forbid(
          'non-default capabilities',
          `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`,
        );
      },
    },
  ],
};
