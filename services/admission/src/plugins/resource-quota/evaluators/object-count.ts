// kube's generic object-count evaluator: count/<resource>[.<group>], plus the legacy alias
// kube keeps for a few core kinds ("configmaps", "secrets", ...). Creates only.
import { quantityOf, type ResourceList } from '../resource-list.js';
import type { Evaluator } from './types.js';

export function objectCountName(group: string, resource: string): string {
  return group ? `count/${resource}.${group}` : `count/${resource}`;
}

export function objectCountEvaluator(group: string, resource: string, alias = ''): Evaluator {
  const names = alias
    ? [objectCountName(group, resource), alias]
    : [objectCountName(group, resource)];
  return {
    group,
    resource,
    handles: ({ operation, subresource }) => subresource === '' && operation === 'CREATE',
    matchingResources: (input) => input.filter((n) => names.includes(n)),
    matchesScope: () => false,
    constraints: () => undefined,
    usage(): ResourceList {
      const out: ResourceList = {};
      for (const n of names) out[n] = quantityOf(1);
      return out;
    },
  };
}
