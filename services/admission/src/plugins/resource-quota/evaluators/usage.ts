// kube's quota.CalculateUsage for the quota controller: each hard resource a known
// evaluator measures, summed over the namespace's objects in the quota's scopes, zero
// when nothing is there; resources no evaluator measures (or not served) are left out.
import type { KubeObject } from '@splitplane/scheme';
import { add, mask, ZERO, type ResourceList } from '../resource-list.js';
import { scopeSelectors, specHard } from './quota-object.js';
import { evaluatorFor, resourceOfQuotaName } from './registry.js';
import type { Evaluator } from './types.js';

/** Lists a namespace's objects of a resource; undefined when the resource is not served. */
export type NamespaceLister = (
  group: string,
  resource: string,
  namespace: string,
) => Promise<KubeObject[] | undefined>;

/** The evaluators a quota's hard resources need. */
export function evaluatorsForQuota(hardNames: readonly string[]): Evaluator[] {
  const out = new Map<string, Evaluator>();
  for (const name of hardNames) {
    const gr = resourceOfQuotaName(name);
    if (!gr) continue;
    const e = evaluatorFor(gr.group, gr.resource);
    out.set(`${e.group}/${e.resource}`, e);
  }
  return [...out.values()];
}

/** The usage `quota` should show now, from its spec (hard, scopes, scopeSelector). */
export async function calculateUsage(
  quota: KubeObject,
  list: NamespaceLister,
  now: Date = new Date(),
): Promise<ResourceList> {
  const namespace = quota.metadata?.namespace ?? '';
  const hardNames = Object.keys(specHard(quota));
  const selectors = scopeSelectors(quota);
  let used: ResourceList = {};
  const tracked = new Set<string>();
  for (const evaluator of evaluatorsForQuota(hardNames)) {
    const names = evaluator.matchingResources(hardNames);
    if (names.length === 0) continue;
    const items = await list(evaluator.group, evaluator.resource, namespace);
    if (!items) continue;
    for (const n of names) {
      tracked.add(n);
      if (!used[n]) used[n] = ZERO;
    }
    for (const item of items) {
      let inScope: boolean;
      try {
        inScope = selectors.every((s) => evaluator.matchesScope(s, item));
      } catch {
        inScope = false;
      }
      if (inScope) used = add(used, evaluator.usage(item, now));
    }
  }
  return mask(used, tracked);
}
