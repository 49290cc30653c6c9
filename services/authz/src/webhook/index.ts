export {
  WebhookAuthorizer,
  WebhookError,
  createWebhookAuthorizer,
  DEFAULT_AUTHORIZED_TTL_MS,
  DEFAULT_UNAUTHORIZED_TTL_MS,
  type WebhookAuthorizationResult,
  type WebhookAuthorizerOptions,
  type WebhookFlagValues,
  type WebhookVersion,
} from './webhook-authorizer.js';
export { loadWebhookKubeconfig, WebhookConfigError, type WebhookConnection } from './kubeconfig.js';
export { parseDuration, DurationParseError } from './duration.js';
export { DecisionCache } from './decision-cache.js';
