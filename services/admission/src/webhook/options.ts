// What both webhook plugins are built from.
import { StaticEquivalentResourceMapper, type EquivalentResourceMapper } from './equivalence.js';
import { unsupportedMatchConditions } from './match-conditions.js';
import { relabelingConverter } from './review.js';
import type {
  MatchConditionEvaluator,
  NamespaceLister,
  ObjectVersionConverter,
  ServiceResolver,
  WebhookConfigurationSource,
} from './types.js';

export interface WebhookPluginOptions {
  /** The Mutating- or ValidatingWebhookConfigurations, read on every request. */
  configurations: WebhookConfigurationSource;
  namespaces: NamespaceLister;
  /** Where service-backed webhooks are dialled; without one, `<name>.<ns>.svc` by DNS. */
  serviceResolver?: ServiceResolver;
  /** matchConditions (CEL); the default reports them unsupported (failurePolicy applies). */
  matchConditions?: MatchConditionEvaluator;
  /** matchPolicy Equivalent; defaults to kube's well-known multi-version resources. */
  equivalentResources?: EquivalentResourceMapper;
  /** Converts objects for Equivalent matches; the default relabels apiVersion only. */
  objectConverter?: ObjectVersionConverter;
}

export interface ResolvedOptions {
  configurations: WebhookConfigurationSource;
  namespaces: NamespaceLister;
  resolver: ServiceResolver | undefined;
  matchConditions: MatchConditionEvaluator;
  equivalents: EquivalentResourceMapper;
  converter: ObjectVersionConverter;
}

export function resolveOptions(o: WebhookPluginOptions): ResolvedOptions {
  return {
    configurations: o.configurations,
    namespaces: o.namespaces,
    resolver: o.serviceResolver,
    matchConditions: o.matchConditions ?? unsupportedMatchConditions,
    equivalents: o.equivalentResources ?? new StaticEquivalentResourceMapper(),
    converter: o.objectConverter ?? relabelingConverter,
  };
}
