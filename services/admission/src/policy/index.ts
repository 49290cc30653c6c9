export * from './types.js';
export type {
  PolicyLister,
  BindingLister,
  NamespaceLister,
  ParamStore,
  ParamResolver,
  EquivalentResourceMapper,
} from './interfaces.js';
export {
  matchResources,
  matchesRule,
  matchesNamespaceSelector,
  matchesObjectSelector,
  type MatchResult,
} from './matching.js';
export { collectParams, PolicyConfigurationError } from './params.js';
export {
  validate,
  type PolicyDecision,
  type AuditAnnotationResult,
  type ValidateResult,
} from './validator.js';
export { requestObject } from './activation.js';
export {
  authorizerFor,
  evaluatePolicies,
  VALIDATION_FAILURE_ANNOTATION,
  type PolicyEvaluatorInputs,
  type PolicyEvaluation,
} from './dispatcher.js';
export { ValidatingAdmissionPolicyPlugin } from './plugin.js';
