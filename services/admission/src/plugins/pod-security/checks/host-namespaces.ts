// Baseline "Host Namespaces": hostNetwork, hostPID and hostIPC must be unset or false.
import { ALLOWED, forbid, type Check } from '../check.js';

export const hostNamespacesCheck: Check = {
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod(_meta, spec) {
        const used = (['hostIPC', 'hostNetwork', 'hostPID'] as const).filter(
          (f) => spec[f] === true,
        );
        return used.length ? forbid('host namespaces', used.join(', ')) : ALLOWED;
      },
    },
  ],
};
