export { MutatingWebhookPlugin } from './mutating.js';
export { ValidatingWebhookPlugin } from './validating.js';
export type { WebhookPluginOptions } from './options.js';
export type {
  MatchCondition,
  MatchConditionEvaluator,
  MatchConditionResult,
  MatchedAs,
  NamespaceLister,
  ObjectVersionConverter,
  RuleWithOperations,
  ServiceReference,
  ServiceResolver,
  WebhookClientConfig,
  WebhookConfiguration,
  WebhookConfigurationSource,
  WebhookSpec,
} from './types.js';
export { MatchConditionsUnsupportedError, unsupportedMatchConditions } from './match-conditions.js';
export {
  ServedEquivalentResourceMapper,
  StaticEquivalentResourceMapper,
  WELL_KNOWN_EQUIVALENTS,
  type ServedResources,
  type EquivalentResource,
  type EquivalentResourceMapper,
} from './equivalence.js';
export { matchWebhook, type WebhookInvocation } from './match.js';
export { ruleMatches } from './rules.js';
export { WebhookCallError, denialError, dryRunUnsupported } from './errors.js';
export { DEFAULT_TIMEOUT_SECONDS } from './call.js';
export { ADMISSION_REVIEW_VERSION, relabelingConverter, type AdmissionResponse } from './review.js';
export { addAuditAnnotation } from './call.js';
