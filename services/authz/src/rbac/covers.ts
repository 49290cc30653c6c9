// kube's policy comparator: does one set of rules grant everything another grants? Used by
// escalation prevention. Unlike request matching, covering understands `pods/*` (every
// subresource of pods) and `*/scale`, and a trailing `*` in nonResourceURLs.
import type { PolicyRule } from './types.js';

const ALL = '*';
const has = (list: readonly string[] | undefined, item: string) => (list ?? []).includes(item);
const hasAll = (list: readonly string[] | undefined, wanted: readonly string[] | undefined) =>
  (wanted ?? []).every((w) => has(list, w));

/**
 * One rule per verb × group × resource × resourceName (and per verb × URL), as kube's
 * BreakdownRule splits them; uncovered permissions are reported in this form.
 */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  const names = rule.resourceNames ?? [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if (names.length === 0) {
          out.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
        } else {
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
  }
  for (const url of rule.nonResourceURLs ?? []) {
    for (const verb of rule.verbs ?? []) out.push({ verbs: [verb], nonResourceURLs: [url] });
  }
  return out;
}

function resourcesCovered(owner: readonly string[], wanted: readonly string[]): boolean {
  if (owner.includes(ALL)) return true;
  return wanted.every((resource) => {
    if (owner.includes(resource)) return true;
    const slash = resource.indexOf('/');
    if (slash === -1) return false;
    return (
      owner.includes(`${resource.slice(0, slash)}/*`) ||
      owner.includes(`*/${resource.slice(slash + 1)}`)
    );
  });
}

function urlCovered(owner: readonly string[], url: string): boolean {
  return owner.some((o) => o === url || (o.endsWith(ALL) && url.startsWith(o.slice(0, -1))));
}

/** Whether `owner` grants everything `wanted` grants (kube's ruleCovers). */
export function ruleCovers(owner: PolicyRule, wanted: PolicyRule): boolean {
  const verbs = has(owner.verbs, ALL) || hasAll(owner.verbs, wanted.verbs);
  const groups = has(owner.apiGroups, ALL) || hasAll(owner.apiGroups, wanted.apiGroups);
  const resources = resourcesCovered(owner.resources ?? [], wanted.resources ?? []);
  const urls = (wanted.nonResourceURLs ?? []).every((u) =>
    urlCovered(owner.nonResourceURLs ?? [], u),
  );
  const ownerNames = owner.resourceNames ?? [];
  const wantedNames = wanted.resourceNames ?? [];
  // An unrestricted rule is covered only by an unrestricted one.
  const names =
    wantedNames.length === 0
      ? ownerNames.length === 0
      : ownerNames.length === 0 || hasAll(ownerNames, wantedNames);
  return verbs && groups && resources && urls && names;
}

export interface CoversResult {
  covered: boolean;
  /** The broken-down rules of `wanted` that no rule of `owner` covers, in order. */
  missing: PolicyRule[];
}

/** kube's validation.Covers. */
export function covers(owner: readonly PolicyRule[], wanted: readonly PolicyRule[]): CoversResult {
  const missing: PolicyRule[] = [];
  for (const rule of wanted) {
    for (const atom of breakdownRule(rule)) {
      if (!owner.some((o) => ruleCovers(o, atom))) missing.push(atom);
    }
  }
  return { covered: missing.length === 0, missing };
}
