// Builds the ResourceQuota plugin from the chain's dependencies: quotas from the shared
// informer, usage written through the registry. Without a registry client there is no way
// to charge a quota, so the plugin refuses to start rather than admit without limits.
import type { PluginFactory } from '../../chain/plugin-deps.js';
import { HubQuotaAccessor, RESOURCE_QUOTAS } from './quota-accessor.js';
import { resourceQuotaConfigFrom } from './config.js';
import { QuotaBatcher } from './quota-batcher.js';
import { RESOURCE_QUOTA_PLUGIN_NAME, ResourceQuotaPlugin } from './plugin.js';

export class MissingRegistryError extends Error {
  constructor() {
    super(
      `admission plugin ${RESOURCE_QUOTA_PLUGIN_NAME} needs a registry client to charge quotas`,
    );
    this.name = 'MissingRegistryError';
  }
}

export const resourceQuotaFactory: PluginFactory = (deps) => {
  if (!deps.registry) throw new MissingRegistryError();
  // Start following quotas now, so the first request finds the informer synced.
  deps.hub.informer(RESOURCE_QUOTAS);
  const { limitedResources } = resourceQuotaConfigFrom(
    deps.pluginConfig(RESOURCE_QUOTA_PLUGIN_NAME),
  );
  const accessor = new HubQuotaAccessor(deps.hub, deps.registry);
  return new ResourceQuotaPlugin(
    new QuotaBatcher(accessor, {
      log: deps.log.child({ plugin: RESOURCE_QUOTA_PLUGIN_NAME }),
      limitedResources,
    }),
  );
};
