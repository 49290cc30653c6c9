// MutatingAdmissionWebhook over the shared informers.
import type { PluginFactory } from '../../chain/plugin-deps.js';
import { RESOURCES } from '../../hub/index.js';
import { webhookOptionsFrom } from '../../sources/webhook-options.js';
import { MutatingWebhookPlugin } from '../../webhook/index.js';

export { MutatingWebhookPlugin };

export const mutatingAdmissionWebhookFactory: PluginFactory = (deps) =>
  new MutatingWebhookPlugin(webhookOptionsFrom(deps, RESOURCES.mutatingWebhookConfigurations()));
