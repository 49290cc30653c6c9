// RBAC PolicyRule helpers shared by bootstrap reconciliation and the aggregation controller:
// a compact builder for the policy data, and kube's "covers" check (does one rule set grant
// everything another grants), which reconciliation uses to find the rules a role lacks.

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

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

const has = (set: readonly string[] | undefined, item: string) => (set ?? []).includes(item);

/**
 * Splits a rule into rules with one verb, one group, one resource and at most one resource
 * name (or one verb and one URL), as kube's BreakdownRule does; missing rules are reported
 * in this form.
 */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) {
          out.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
          continue;
        }
        for (const name of names) {
          out.push({
            verbs: [verb],
            apiGroups: [group],
            resources: [resource],
            resourceNames: [name],
          });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) {
    for (const verb of rule.verbs) out.push({ verbs: [verb], nonResourceURLs: [url] });
  }
  return out;
}

function resourcesCovered(owner: readonly string[], wanted: readonly string[]): boolean {
  if (has(owner, '*')) return true;
  return wanted.every((resource) => {
    if (has(owner, resource)) return true;
    const slash = resource.indexOf('/');
    // "pods/*" grants every subresource of pods (but not pods itself).
    return slash !== -1 && has(owner, `${resource.slice(0, slash)}/*`);
  });
}

function urlsCovered(owner: readonly string[], wanted: readonly string[]): boolean {
  if (has(owner, '*')) return true;
  return wanted.every(
    (url) =>
      has(owner, url) || owner.some((o) => o.endsWith('*') && url.startsWith(o.slice(0, -1))),
  );
}

/** Whether `owner` grants everything `wanted` grants (kube's ruleCovers). */
export function ruleCovers(owner: PolicyRule, wanted: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || wanted.verbs.every((v) => has(owner.verbs, v));
  if (!verbs) return false;
  const groups =
    has(owner.apiGroups, '*') || (wanted.apiGroups ?? []).every((g) => has(owner.apiGroups, g));
  if (!groups) return false;
  if (!resourcesCovered(owner.resources ?? [], wanted.resources ?? [])) return false;
  if (!urlsCovered(owner.nonResourceURLs ?? [], wanted.nonResourceURLs ?? [])) return false;
  // No resourceNames means every name: only an unnamed owner covers an unnamed rule.
  const ownerNames = owner.resourceNames ?? [];
  const wantedNames = wanted.resourceNames ?? [];
  if (ownerNames.length === 0) return true;
  return wantedNames.length > 0 && wantedNames.every((n) => has(ownerNames, n));
}

/**
 * The broken-down rules of `wanted` that no rule of `owner` covers (empty: owner covers
 * wanted), as kube's validation.Covers reports them.
 */
export function uncoveredRules(
  owner: readonly PolicyRule[],
  wanted: readonly PolicyRule[],
): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of wanted) {
    for (const atom of breakdownRule(rule)) {
      if (!owner.some((o) => ruleCovers(o, atom))) missing.push(atom);
    }
  }
  return missing;
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
