export {
  type Level,
  type Version,
  type LevelVersion,
  type Policy,
  LEVELS,
  LATEST,
  v1,
  formatVersion,
  formatLevelVersion,
  parseLevel,
  parseVersion,
  policyToEvaluate,
  fullyPrivileged,
  compareLevels,
  DEFAULT_POLICY,
  PolicyParseError,
  ENFORCE_LEVEL_LABEL,
  ENFORCE_VERSION_LABEL,
  AUDIT_LEVEL_LABEL,
  AUDIT_VERSION_LABEL,
  WARN_LEVEL_LABEL,
  WARN_VERSION_LABEL,
  AUDIT_VIOLATIONS_ANNOTATION,
  ENFORCE_POLICY_ANNOTATION,
  EXEMPT_ANNOTATION,
  ERROR_ANNOTATION,
} from './api.js';
export { type Check, type CheckResult, type VersionedCheck, type CheckPod } from './check.js';
export {
  Evaluator,
  DEFAULT_CHECKS,
  forbiddenDetail,
  type AggregateCheckResult,
} from './evaluator.js';
export {
  type PodSecurityConfiguration,
  type PodSecurityDefaults,
  type PodSecurityExemptions,
  PodSecurityConfigError,
  resolveDefaults,
} from './config.js';
export { type NamespaceLister, type PodLister } from './listers.js';
export { extractPodSpec, hasPodTemplate } from './pod-spec-extractor.js';
export {
  PodSecurityPlugin,
  POD_SECURITY_PLUGIN_NAME,
  type PodSecurityPluginOptions,
} from './plugin.js';
export { podSecurityFactory, podSecurityConfigFrom } from './factory.js';
