// What kube's ClusterRole aggregation controller computes for one aggregated ClusterRole:
// for each selector in order, the ClusterRoles it matches sorted by name (itself excluded),
// their rules in order, each rule kept once.
import { fromLabelSelector } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { AggregationRule } from '../bootstrap/cluster-roles.js';
import { normalizeRule, ruleKey, type PolicyRule } from '../bootstrap/rules.js';

export interface ClusterRoleLike extends KubeObject {
  rules?: PolicyRule[] | null;
  aggregationRule?: AggregationRule | null;
}

export function isAggregated(role: ClusterRoleLike): boolean {
  return (role.aggregationRule?.clusterRoleSelectors?.length ?? 0) > 0;
}

const nameOf = (o: KubeObject) => o.metadata?.name ?? '';
const byName = (a: KubeObject, b: KubeObject) =>
  nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0;

/**
 * The rules `role` should hold, from `all` ClusterRoles. A selector that does not parse
 * matches nothing (kube skips the role with an error; its other selectors still count here).
 */
export function aggregatedRules(
  role: ClusterRoleLike,
  all: readonly ClusterRoleLike[],
): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const selector of role.aggregationRule?.clusterRoleSelectors ?? []) {
    let matches: (labels: Record<string, string>) => boolean;
    try {
      const parsed = fromLabelSelector(selector);
      matches = (labels) => parsed.matches(labels);
    } catch {
      continue;
    }
    const selected = all
      .filter((r) => nameOf(r) !== nameOf(role) && matches(r.metadata?.labels ?? {}))
      .sort(byName);
    for (const source of selected) {
      for (const rule of source.rules ?? []) {
        const key = ruleKey(rule);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push(normalizeRule(rule));
      }
    }
  }
  return rules;
}
