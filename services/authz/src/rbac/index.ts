export type {
  AggregationRule,
  BindingObject,
  PolicyRule,
  RbacUser,
  RoleObject,
  RoleRef,
  Subject,
} from './types.js';
export { RBAC_GROUP, SYSTEM_MASTERS } from './types.js';
export {
  apiGroupMatches,
  nonResourceURLMatches,
  resourceMatches,
  resourceNameMatches,
  ruleAllows,
  verbMatches,
  type RuleRequest,
} from './rule-matches.js';
export { breakdownRule, covers, ruleCovers, type CoversResult } from './covers.js';
export { compactRules, compactString, describeMissing } from './compact.js';
export {
  describeSubject,
  serviceAccountUsername,
  subjectAppliesTo,
  subjectKey,
  userKeys,
} from './subjects.js';
export {
  BINDING_INDEXERS,
  RbacView,
  SUBJECT_INDEX,
  staticRbacView,
  type RbacStores,
} from './rbac-view.js';
export {
  RoleNotFoundError,
  UnsupportedRoleRefError,
  aggregateMessage,
  roleRefRules,
  rulesFor,
  visitRulesFor,
  type ResolvedRules,
  type RuleVisitor,
} from './rule-resolver.js';
export { RbacAuthorizer, toRbacUser } from './rbac-authorizer.js';
export {
  ALWAYS_ALLOW_RULES,
  NO_RULES,
  RuleResolutionUnsupportedError,
  UnionRuleResolver,
  evaluationError,
  unenumerableRules,
  type RuleResolver,
  type UserRules,
} from './rules-review.js';
export {
  EscalationChecker,
  UnknownRbacKindError,
  type EscalationCheck,
  type EscalationResult,
  type RbacKind,
} from './escalation.js';
export { RbacInformers, type RbacInformersOptions } from './informer-view.js';
