// Baseline "Host Ports": hostPort must be unset or 0.
import { ALLOWED, forbid, type Check } from '../check.js';
import { joinQuote, pluralize, sortedSet } from '../format.js';
import { containerName, containersOf } from '../pod-types.js';

export const hostPortsCheck: Check = {
  id: 'hostPorts',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod(_meta, spec) {
        const bad: string[] = [];
        const ports: string[] = [];
        for (const c of containersOf(spec)) {
          const used = (Array.isArray(c.ports) ? c.ports : []).filter(
            (p) => p && p.hostPort && p.hostPort !== 0,
          );
          if (used.length === 0) continue;
          bad.push(containerName(c));
          ports.push(...used.map((p) => String(p.hostPort)));
        }
        if (bad.length === 0) return ALLOWED;
        // kube lists the ports as sorted strings (lexical, not numeric order).
        const list = sortedSet(ports);
        return forbid(
          'hostPort',
          `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
        );
      },
    },
  ],
};
