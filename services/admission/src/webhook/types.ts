// admissionregistration.k8s.io/v1 webhook shapes (the fields admission reads) and the small
// interfaces the plugins take, so a later session can back them with Informers.
import type { LabelSelector } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { GroupVersionKind, GroupVersionResource } from '@splitplane/proto';
import type { AdmissionAttributes } from '../chain/plugin.js';

export interface RuleWithOperations {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: 'Cluster' | 'Namespaced' | '*';
}

export interface ServiceReference {
  namespace: string;
  name: string;
  path?: string;
  port?: number;
}

export interface WebhookClientConfig {
  url?: string;
  service?: ServiceReference;
  /** base64 of a PEM bundle; the system roots when absent. */
  caBundle?: string;
}

export interface MatchCondition {
  name: string;
  expression: string;
}

/** One entry of `webhooks` in either configuration kind; mutating adds reinvocationPolicy. */
export interface WebhookSpec {
  name: string;
  clientConfig: WebhookClientConfig;
  rules?: RuleWithOperations[];
  failurePolicy?: 'Fail' | 'Ignore';
  matchPolicy?: 'Exact' | 'Equivalent';
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  sideEffects?: 'None' | 'NoneOnDryRun' | 'Some' | 'Unknown';
  timeoutSeconds?: number;
  admissionReviewVersions?: string[];
  matchConditions?: MatchCondition[];
  reinvocationPolicy?: 'Never' | 'IfNeeded';
}

/** A Mutating/ValidatingWebhookConfiguration object. */
export interface WebhookConfiguration extends KubeObject {
  webhooks?: WebhookSpec[];
}

/** Where the plugin reads configurations on every request (an Informer's lister later). */
export interface WebhookConfigurationSource {
  list(): KubeObject[];
}

/** Namespaces by name, for namespaceSelector. */
export interface NamespaceLister {
  get(name: string): KubeObject | undefined;
}

/** Where to dial for a service-backed webhook; the URL (and TLS name) stay `<name>.<ns>.svc`. */
export interface ServiceResolver {
  resolve(namespace: string, name: string, port: number): { host: string; port: number };
}

/** The outcome of a webhook's matchConditions. */
export type MatchConditionResult =
  | { matches: true }
  | { matches: false; failedCondition: string }
  /** An evaluation error (or no evaluator): handled per failurePolicy as kube does. */
  | { error: Error };

/** What a webhook was matched as (kube evaluates matchConditions on this version). */
export interface MatchedAs {
  resource: GroupVersionResource;
  subresource: string;
  kind: GroupVersionKind;
}

/**
 * The CEL hook: decides a webhook's matchConditions for a request. Called only for webhooks
 * whose rules and selectors match; `matchedAs` differs from the request's own resource/kind
 * when the webhook matched through matchPolicy Equivalent.
 */
export interface MatchConditionEvaluator {
  evaluate(
    conditions: readonly MatchCondition[],
    attributes: AdmissionAttributes,
    matchedAs: MatchedAs,
  ): MatchConditionResult | Promise<MatchConditionResult>;
}

/**
 * Converts an object to the version a webhook was matched under (matchPolicy Equivalent)
 * and back. The default only relabels apiVersion/kind; a scheme-backed converter can do the
 * field conversions kube's scheme does.
 */
export interface ObjectVersionConverter {
  convert(object: KubeObject, to: GroupVersionKind): KubeObject;
}
