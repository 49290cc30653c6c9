export * from './authorizer/index.js';
export { authorizerService } from './server.js';
export {
  startPolicyControllers,
  type PolicyControllersOptions,
  type RunningPolicyControllers,
} from './bootstrap/index.js';
export {
  WebhookAuthorizer,
  createWebhookAuthorizer,
  type WebhookFlagValues,
} from './webhook/index.js';
