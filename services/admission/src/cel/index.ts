export {
  CelCompiler,
  bindActivation,
  type BoundActivation,
  type Activation,
  type CompiledExpression,
  type CelCompilerOptions,
} from './compiler.js';
export {
  newAdmissionEnvironment,
  ADMISSION_VARIABLES,
  DEFAULT_LIMITS,
  type AdmissionVariable,
} from './environment.js';
export { CelCompileError, CelEvaluationError, CelBudgetError, CelFunctionError } from './errors.js';
export { toCel, fromCel, celTypeName } from './values.js';
export { Quantity } from './lib/quantity-value.js';
export { KubeURL } from './lib/url.js';
export {
  AuthorizerValue,
  type CelAuthorizer,
  type AuthorizationCheck,
  type AuthorizationResult,
  type AuthorizationUser,
} from './lib/authz.js';
