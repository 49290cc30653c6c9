export {
  ResourceQuotaController,
  DEFAULT_RESOURCE_QUOTA_SYNC_PERIOD_MS,
  type ResourceQuotaControllerOptions,
} from './quota-controller.js';
export { quotaWriteHooks, composeHooks } from './quota-hooks.js';
export { parseDurationMs, DurationParseError } from './duration.js';
