export { resourceQuotaFactory, MissingRegistryError } from './factory.js';
export { ResourceQuotaPlugin, RESOURCE_QUOTA_PLUGIN_NAME } from './plugin.js';
export {
  QuotaBatcher,
  DEFAULT_QUOTA_TIMEOUT_MS,
  type QuotaBatcherOptions,
} from './quota-batcher.js';
export {
  HubQuotaAccessor,
  LookAsideCache,
  RESOURCE_QUOTAS,
  writeQuotaStatus,
  type QuotaAccessor,
} from './quota-accessor.js';
export { checkRequest, stateOf, type QuotaState } from './check-request.js';
export {
  resourceQuotaConfigFrom,
  ResourceQuotaConfigError,
  type LimitedResource,
  type ResourceQuotaConfiguration,
} from './config.js';
