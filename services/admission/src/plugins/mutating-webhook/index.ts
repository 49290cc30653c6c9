// MutatingAdmissionWebhook over the shared informers.
import type { PluginFactory } from '../../chain/plugin-deps.js';
import { RESOURCES } from '../../hub/index.js';
import { LiveNamespaceLister, withNamespacePrefetch } from '../../sources/namespace-lister.js';
import { webhookOptionsFrom } from '../../sources/webhook-options.js';
import { MutatingWebhookPlugin } from '../../webhook/index.js';

export { MutatingWebhookPlugin };

export const mutatingAdmissionWebhookFactory: PluginFactory = (deps) => {
  const namespaces = new LiveNamespaceLister(deps.hub);
  const plugin = new MutatingWebhookPlugin(
    webhookOptionsFrom(deps, RESOURCES.mutatingWebhookConfigurations(), namespaces),
  );
  return withNamespacePrefetch(plugin, namespaces);
};
