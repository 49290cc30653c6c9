// ValidatingAdmissionWebhook over the shared informers.
import type { PluginFactory } from '../../chain/plugin-deps.js';
import { RESOURCES } from '../../hub/index.js';
import { webhookOptionsFrom } from '../../sources/webhook-options.js';
import { ValidatingWebhookPlugin } from '../../webhook/index.js';

export { ValidatingWebhookPlugin };

export const validatingAdmissionWebhookFactory: PluginFactory = (deps) =>
  new ValidatingWebhookPlugin(
    webhookOptionsFrom(deps, RESOURCES.validatingWebhookConfigurations()),
  );
