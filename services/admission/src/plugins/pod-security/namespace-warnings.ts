// The warning kube gives when an exempt namespace carries a non-privileged policy.
import {
  formatLevelVersion,
  type Policy,
  fullyPrivileged,
  ENFORCE_LEVEL_LABEL,
  ENFORCE_VERSION_LABEL,
  AUDIT_LEVEL_LABEL,
  AUDIT_VERSION_LABEL,
  WARN_LEVEL_LABEL,
  WARN_VERSION_LABEL,
} from './api.js';
import { goQuote } from './format.js';

const samePolicy = (a: Policy, b: Policy) =>
  (['enforce', 'audit', 'warn'] as const).every(
    (m) => formatLevelVersion(a[m]) === formatLevelVersion(b[m]),
  );

export function exemptNamespaceWarning(
  namespace: string,
  policy: Policy,
  defaults: Policy,
  labels: Record<string, string>,
): string {
  if (fullyPrivileged(policy) || samePolicy(policy, defaults)) return '';
  const parts: string[] = [];
  const modes = [
    ['enforce', ENFORCE_LEVEL_LABEL, ENFORCE_VERSION_LABEL],
    ['audit', AUDIT_LEVEL_LABEL, AUDIT_VERSION_LABEL],
    ['warn', WARN_LEVEL_LABEL, WARN_VERSION_LABEL],
  ] as const;
  for (const [mode, levelLabel, versionLabel] of modes) {
    if (policy[mode].level !== 'privileged' && (levelLabel in labels || versionLabel in labels)) {
      parts.push(`${mode}=${formatLevelVersion(policy[mode])}`);
    }
  }
  return `namespace ${goQuote(namespace)} is exempt from Pod Security, and the policy (${parts.join(', ')}) will be ignored`;
}
