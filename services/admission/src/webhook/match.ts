// Whether a webhook is called for a request, and as which resource/kind (kube's ShouldCallHook):
// selectors first, then rules exactly, then (matchPolicy Equivalent) rules against the same
// resource under other versions. Selector errors only surface for a webhook whose rules match.
import type { GroupVersionKind, GroupVersionResource } from '@splitplane/proto';
import type { AdmissionAttributes } from '../chain/plugin.js';
import type { EquivalentResourceMapper } from './equivalence.js';
import { anyRuleMatches, isExemptResource } from './rules.js';
import { matchesNamespaceSelector, matchesObjectSelector } from './selectors.js';
import type { NamespaceLister, WebhookSpec } from './types.js';

/** A webhook to call and the resource/kind it is called as. */
export interface WebhookInvocation {
  configurationName: string;
  webhook: WebhookSpec;
  resource: GroupVersionResource;
  subresource: string;
  kind: GroupVersionKind;
}

export interface MatchDependencies {
  namespaces: NamespaceLister;
  equivalents: EquivalentResourceMapper;
}

function attempt(fn: () => boolean): { matches: boolean; error?: unknown } {
  try {
    return { matches: fn() };
  } catch (error) {
    return { matches: false, error };
  }
}

export function matchWebhook(
  configurationName: string,
  webhook: WebhookSpec,
  attributes: AdmissionAttributes,
  deps: MatchDependencies,
): WebhookInvocation | undefined {
  if (isExemptResource(attributes.resource)) return undefined;
  const ns = attempt(() =>
    matchesNamespaceSelector(webhook.namespaceSelector, attributes, deps.namespaces),
  );
  if (!ns.matches && ns.error === undefined) return undefined;
  const obj = attempt(() => matchesObjectSelector(webhook.objectSelector, attributes));
  if (!obj.matches && obj.error === undefined) return undefined;

  const target = {
    operation: attributes.operation,
    resource: attributes.resource,
    subresource: attributes.subresource,
    namespace: attributes.namespace,
  };
  let invocation: WebhookInvocation | undefined;
  if (anyRuleMatches(webhook.rules, target)) {
    invocation = {
      configurationName,
      webhook,
      resource: attributes.resource,
      subresource: attributes.subresource,
      kind: attributes.kind,
    };
  } else if ((webhook.matchPolicy ?? 'Equivalent') === 'Equivalent') {
    const equivalents = deps.equivalents.equivalents(attributes.resource, attributes.subresource);
    // Earlier rules win, as in kube: for each rule, try each equivalent.
    outer: for (const rule of webhook.rules ?? []) {
      for (const eq of equivalents) {
        if (anyRuleMatches([rule], { ...target, resource: eq.resource })) {
          invocation = {
            configurationName,
            webhook,
            resource: eq.resource,
            subresource: attributes.subresource,
            kind: eq.kind,
          };
          break outer;
        }
      }
    }
  }
  if (!invocation) return undefined;
  if (ns.error !== undefined) throw ns.error;
  if (obj.error !== undefined) throw obj.error;
  return invocation;
}
