// ValidatingAdmissionWebhook over the shared informers.
import type { PluginFactory } from '../../chain/plugin-deps.js';
import { RESOURCES } from '../../hub/index.js';
import { LiveNamespaceLister, withNamespacePrefetch } from '../../sources/namespace-lister.js';
import { webhookOptionsFrom } from '../../sources/webhook-options.js';
import { ValidatingWebhookPlugin } from '../../webhook/index.js';

export { ValidatingWebhookPlugin };

export const validatingAdmissionWebhookFactory: PluginFactory = (deps) => {
  const namespaces = new LiveNamespaceLister(deps.hub);
  const plugin = new ValidatingWebhookPlugin(
    webhookOptionsFrom(deps, RESOURCES.validatingWebhookConfigurations(), namespaces),
  );
  return withNamespacePrefetch(plugin, namespaces);
};
