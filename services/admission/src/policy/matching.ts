// matchConstraints / binding matchResources, as k8s.io/apiserver's generic policy matcher:
// namespaceSelector, objectSelector, excludeResourceRules, resourceRules (with subresources,
// scope, resourceNames) and matchPolicy Equivalent.
import {
  type LabelSelector,
  Selector,
  fromLabelSelector,
  newNotFound,
} from '@splitplane/apimachinery';
import type { GroupVersionKind, GroupVersionResource } from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes } from '../chain/plugin.js';
import type { EquivalentResourceMapper, NamespaceLister } from './interfaces.js';
import type { MatchResources, NamedRuleWithOperations } from './types.js';

export interface MatchResult {
  matches: boolean;
  /** The resource/kind the request matched as (differs from the request's under Equivalent). */
  resource: GroupVersionResource;
  kind: GroupVersionKind;
}

export interface MatchContext {
  namespaces: NamespaceLister;
  equivalents?: EquivalentResourceMapper | undefined;
}

const has = (list: readonly string[] | undefined, v: string) =>
  !!list && (list.includes('*') || list.includes(v));

function selectorOf(ls: LabelSelector | null | undefined): Selector {
  // API defaulting makes an absent selector {}, which selects everything.
  return ls ? fromLabelSelector(ls) : Selector.everything();
}

const labelsOf = (o: KubeObject | undefined) =>
  (o?.metadata?.labels ?? undefined) as Record<string, string> | undefined;

const isNamespacesResource = (a: AdmissionAttributes) =>
  a.resource.group === '' && a.resource.resource === 'namespaces';

/** Throws the NotFound StatusError kube returns when the request's namespace is unknown. */
export function matchesNamespaceSelector(
  ls: LabelSelector | null | undefined,
  a: AdmissionAttributes,
  namespaces: NamespaceLister,
): boolean {
  if (!a.namespace && !isNamespacesResource(a)) return true; // cluster-scoped: never exempted
  const selector = selectorOf(ls);
  if (selector.empty()) return true;
  let labels: Record<string, string> | undefined;
  if (
    isNamespacesResource(a) &&
    !a.subresource &&
    (a.operation === 'CREATE' || a.operation === 'UPDATE')
  ) {
    labels = labelsOf(a.object);
  } else {
    const name = a.namespace || a.name;
    const ns = namespaces.get(name);
    if (!ns) throw newNotFound({ group: '', resource: 'namespaces' }, name);
    labels = labelsOf(ns);
  }
  return selector.matches(labels ?? {});
}

export function matchesObjectSelector(
  ls: LabelSelector | null | undefined,
  a: AdmissionAttributes,
): boolean {
  const selector = selectorOf(ls);
  if (selector.empty()) return true;
  const test = (o: KubeObject | undefined) => !!o && selector.matches(labelsOf(o) ?? {});
  return test(a.object) || test(a.oldObject);
}

function matchesResource(
  resources: readonly string[] | undefined,
  resource: string,
  sub: string,
): boolean {
  for (const r of resources ?? []) {
    if (r === '*/*') return true;
    const [res, rsub = ''] = r.split('/', 2) as [string, string?];
    if (res === '*' && rsub === '' && sub === '') return true;
    if (res === '*' && rsub === sub) return true;
    if (res === resource && (rsub === '*' ? true : rsub === sub)) return true;
  }
  return false;
}

function matchesScope(rule: NamedRuleWithOperations, a: AdmissionAttributes): boolean {
  const scope = rule.scope ?? '*';
  if (scope === '*') return true;
  // Namespace objects carry their own name as namespace; kube treats them as cluster-scoped.
  const clusterScoped = !a.namespace || isNamespacesResource(a);
  return scope === 'Cluster' ? clusterScoped : !clusterScoped;
}

export function matchesRule(
  rule: NamedRuleWithOperations,
  a: AdmissionAttributes,
  resource: GroupVersionResource = a.resource,
): boolean {
  if (!has(rule.operations, a.operation)) return false;
  if (!has(rule.apiGroups, resource.group)) return false;
  if (!has(rule.apiVersions, resource.version)) return false;
  if (!matchesResource(rule.resources, resource.resource, a.subresource)) return false;
  if (!matchesScope(rule, a)) return false;
  const names = rule.resourceNames ?? [];
  if (names.length > 0 && !names.includes(a.name)) return false;
  return true;
}

function matchesRules(
  rules: readonly NamedRuleWithOperations[],
  mr: MatchResources,
  a: AdmissionAttributes,
  equivalents: EquivalentResourceMapper | undefined,
): MatchResult {
  const exact = { matches: true, resource: a.resource, kind: a.kind };
  if (rules.some((r) => matchesRule(r, a))) return exact;
  if ((mr.matchPolicy ?? 'Equivalent') === 'Equivalent' && equivalents) {
    for (const eq of equivalents.equivalents(a.resource, a.subresource)) {
      if (rules.some((r) => matchesRule(r, a, eq.resource)))
        return { matches: true, resource: eq.resource, kind: eq.kind };
    }
  }
  return { ...exact, matches: false };
}

/**
 * Whether the request falls under mr. `requireRules` is the policy's matchConstraints (no
 * rules = nothing); bindings pass false (no rules = whatever the policy matched).
 */
export function matchResources(
  mr: MatchResources | null | undefined,
  a: AdmissionAttributes,
  ctx: MatchContext,
  requireRules: boolean,
): MatchResult {
  const none = { matches: false, resource: a.resource, kind: a.kind };
  if (!mr) return requireRules ? none : { ...none, matches: true };
  if (!matchesNamespaceSelector(mr.namespaceSelector, a, ctx.namespaces)) return none;
  if (!matchesObjectSelector(mr.objectSelector, a)) return none;
  const excluded = mr.excludeResourceRules ?? [];
  if (excluded.length > 0 && matchesRules(excluded, mr, a, ctx.equivalents).matches) return none;
  const rules = mr.resourceRules ?? [];
  if (rules.length === 0) return requireRules ? none : { ...none, matches: true };
  return matchesRules(rules, mr, a, ctx.equivalents);
}
