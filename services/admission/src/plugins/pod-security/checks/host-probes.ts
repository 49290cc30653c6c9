// Baseline "Probes and lifecycle hooks host" (v1.34+): httpGet/tcpSocket host must be unset.
import { ALLOWED, forbid, type Check } from '../check.js';
import { joinQuote, pluralize, sortedSet } from '../format.js';
import { containerName, containersOf } from '../pod-types.js';

type Handler = { httpGet?: { host?: unknown }; tcpSocket?: { host?: unknown } } | undefined;

function hosts(handler: unknown): string[] {
  if (typeof handler !== 'object' || handler === null) return [];
  const h = handler as NonNullable<Handler>;
  return [h.httpGet?.host, h.tcpSocket?.host].filter(
    (x): x is string => typeof x === 'string' && x !== '',
  );
}

export const hostProbesCheck: Check = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 34,
      checkPod(_meta, spec) {
        const bad: string[] = [];
        const found: string[] = [];
        for (const c of containersOf(spec) as Array<Record<string, unknown>>) {
          const lifecycle = (c.lifecycle ?? {}) as Record<string, unknown>;
          const used = [
            ...hosts(c.livenessProbe),
            ...hosts(c.readinessProbe),
            ...hosts(c.startupProbe),
            ...hosts(lifecycle.postStart),
            ...hosts(lifecycle.preStop),
          ];
          if (used.length === 0) continue;
          bad.push(containerName(c));
          found.push(...used);
        }
        if (bad.length === 0) return ALLOWED;
        // kube collects both lists in sets, so container names come out sorted too.
        const names = sortedSet(bad);
        const list = sortedSet(found);
        return forbid(
          'probe or lifecycle host',
          `${pluralize('container', 'containers', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', list.length)} ${joinQuote(list)}`,
        );
      },
    },
  ],
};
