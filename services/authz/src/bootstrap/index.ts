export {
  reconcileBootstrapPolicy,
  BootstrapAbortedError,
  BOOTSTRAP_NAMESPACES,
  type BootstrapOptions,
  type BootstrapReport,
} from './bootstrap.js';
export {
  BOOTSTRAP_CLUSTER_ROLES,
  AGGREGATE_TO_ADMIN,
  AGGREGATE_TO_EDIT,
  AGGREGATE_TO_VIEW,
  type AggregationRule,
  type BootstrapClusterRole,
} from './cluster-roles.js';
export {
  BOOTSTRAP_CLUSTER_ROLE_BINDINGS,
  BOOTSTRAP_ROLES,
  BOOTSTRAP_ROLE_BINDINGS,
  type BootstrapBinding,
  type BootstrapRole,
  type RoleRef,
  type Subject,
} from './bindings.js';
export {
  GrpcPolicyClient,
  INTERNAL_USER,
  type ObjectRef,
  type PolicyClient,
  type RbacResource,
} from './policy-client.js';
export {
  AUTOUPDATE_ANNOTATION,
  BOOTSTRAPPING_LABEL,
  bindingObject,
  clusterRoleObject,
  reconcileBinding,
  reconcileRole,
  roleObject,
  type RbacObject,
  type ReconcileOperation,
  type ReconcileResult,
} from './reconcile.js';
export {
  normalizeRule,
  ruleKey,
  sameRules,
  uncoveredRules,
  resourceRule,
  urlRule,
  type PolicyRule,
} from './rules.js';
export {
  startPolicyControllers,
  type PolicyControllersOptions,
  type RunningPolicyControllers,
} from './policy-controllers.js';
