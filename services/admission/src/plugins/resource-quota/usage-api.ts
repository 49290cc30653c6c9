// What the registry's quota controller shares with admission: how objects are measured and
// how a quota's usage is recalculated; and the charging path itself, which the registry's
// tests drive against a real registry (exported as @splitplane/admission/quota).
export type {
  Evaluator,
  QuotaAttributes,
  QuotaOperation,
  ScopeSelectorRequirement,
} from './evaluators/types.js';
export { evaluatorFor, isIgnoredResource, resourceOfQuotaName } from './evaluators/registry.js';
export { objectCountName } from './evaluators/object-count.js';
export { podChargesCompute } from './evaluators/pods.js';
export {
  quotaMatches,
  quotaScopes,
  scopeSelectors,
  specHard,
  statusHard,
  statusUsed,
} from './evaluators/quota-object.js';
export { calculateUsage, evaluatorsForQuota, type NamespaceLister } from './evaluators/usage.js';
export {
  add,
  equals,
  mask,
  parseResourceList,
  prettyPrint,
  removeZeros,
  subtract,
  subtractNonNegative,
  toJson,
  type ResourceList,
} from './resource-list.js';
export { QuotaBatcher, type QuotaBatcherOptions } from './quota-batcher.js';
export { writeQuotaStatus, type QuotaAccessor } from './quota-accessor.js';
export type { AdmissionAttributes } from '../../chain/plugin.js';
