// RBAC PolicyRule helpers shared by bootstrap reconciliation and the aggregation controller:
// a compact builder for the policy data, and comparisons. Whether one rule set grants
// everything another grants is RBAC's own `covers`, the one escalation prevention uses.
import { covers, type PolicyRule } from '../rbac/index.js';

export type { PolicyRule };

/** A resource rule: verbs on resources of the given API groups (optionally named objects). */
export function resourceRule(
  verbs: string[],
  apiGroups: string[],
  resources: string[],
  resourceNames?: string[],
): PolicyRule {
  return {
    verbs: [...verbs].sort(),
    apiGroups: [...apiGroups],
    resources: [...resources].sort(),
    ...(resourceNames?.length ? { resourceNames: [...resourceNames].sort() } : {}),
  };
}

/** A non-resource rule: verbs on URL paths (a trailing `*` matches a prefix). */
export function urlRule(verbs: string[], urls: string[]): PolicyRule {
  return { verbs: [...verbs].sort(), nonResourceURLs: [...urls].sort() };
}

/**
 * The broken-down rules of `wanted` that no rule of `owner` covers (empty: owner covers
 * wanted), as kube's validation.Covers reports them.
 */
export function uncoveredRules(
  owner: readonly PolicyRule[],
  wanted: readonly PolicyRule[],
): PolicyRule[] {
  return covers(owner, wanted).missing;
}

/** A rule with absent and empty lists told apart no more, for comparisons. */
export function normalizeRule(rule: PolicyRule): PolicyRule {
  const out: PolicyRule = { verbs: [...(rule.verbs ?? [])] };
  if (rule.apiGroups?.length) out.apiGroups = [...rule.apiGroups];
  if (rule.resources?.length) out.resources = [...rule.resources];
  if (rule.resourceNames?.length) out.resourceNames = [...rule.resourceNames];
  if (rule.nonResourceURLs?.length) out.nonResourceURLs = [...rule.nonResourceURLs];
  return out;
}

/** Field order fixed, so equal rules serialize equally. */
export function ruleKey(rule: PolicyRule): string {
  const r = normalizeRule(rule);
  return JSON.stringify([
    r.verbs,
    r.apiGroups ?? [],
    r.resources ?? [],
    r.resourceNames ?? [],
    r.nonResourceURLs ?? [],
  ]);
}

export function sameRules(a: readonly PolicyRule[], b: readonly PolicyRule[]): boolean {
  return a.length === b.length && a.every((r, i) => ruleKey(r) === ruleKey(b[i]!));
}
