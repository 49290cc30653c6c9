// RuleWithOperations matching as kube's rules.Matcher: operation, group, version,
// resource[/subresource] with `*` wildcards, and scope.
import type { GroupVersionResource } from '@splitplane/proto';
import type { Operation } from '../chain/plugin.js';
import type { RuleWithOperations } from './types.js';

/** What a rule is matched against (the request's, or an equivalent resource's). */
export interface RuleTarget {
  operation: Operation;
  resource: GroupVersionResource;
  subresource: string;
  namespace: string;
}

const matchesAny = (values: readonly string[] | undefined, value: string) =>
  (values ?? []).some((v) => v === '*' || v === value);

function splitResource(entry: string): [string, string] {
  const slash = entry.indexOf('/');
  return slash < 0 ? [entry, ''] : [entry.slice(0, slash), entry.slice(slash + 1)];
}

function resourceMatches(rule: RuleWithOperations, target: RuleTarget): boolean {
  // `*` alone is every resource but no subresource; `*/*`, `pods/*`, `*/scale` as written.
  return (rule.resources ?? []).some((entry) => {
    const [res, sub] = splitResource(entry);
    return (
      (res === '*' || res === target.resource.resource) &&
      (sub === '*' || sub === target.subresource)
    );
  });
}

function isNamespaceResource(gvr: GroupVersionResource): boolean {
  return gvr.group === '' && gvr.version === 'v1' && gvr.resource === 'namespaces';
}

function scopeMatches(rule: RuleWithOperations, target: RuleTarget): boolean {
  const scope = rule.scope ?? '*';
  if (scope === '*') return true;
  // A namespace object is cluster-scoped even though its requests carry its name as namespace.
  const clusterScoped = isNamespaceResource(target.resource) || target.namespace === '';
  return scope === 'Cluster' ? clusterScoped : !clusterScoped;
}

export function ruleMatches(rule: RuleWithOperations, target: RuleTarget): boolean {
  return (
    matchesAny(rule.operations, target.operation) &&
    matchesAny(rule.apiGroups, target.resource.group) &&
    matchesAny(rule.apiVersions, target.resource.version) &&
    resourceMatches(rule, target) &&
    scopeMatches(rule, target)
  );
}

export function anyRuleMatches(
  rules: readonly RuleWithOperations[] | undefined,
  target: RuleTarget,
) {
  return (rules ?? []).some((rule) => ruleMatches(rule, target));
}

/** kube never sends requests about admission configuration objects to webhooks. */
const EXEMPT = new Set([
  'validatingwebhookconfigurations',
  'mutatingwebhookconfigurations',
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
  'mutatingadmissionpolicies',
  'mutatingadmissionpolicybindings',
]);

export function isExemptResource(gvr: GroupVersionResource): boolean {
  return gvr.group === 'admissionregistration.k8s.io' && EXEMPT.has(gvr.resource);
}
