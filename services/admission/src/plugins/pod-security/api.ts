// Levels, versions and namespace-label policy of k8s.io/pod-security-admission/api.
import { invalid, type FieldErrorList } from '@splitplane/apimachinery';

export type Level = 'privileged' | 'baseline' | 'restricted';
export const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

/** A policy version: `latest`, or v1.<minor>. */
export type Version = { latest: true } | { latest: false; minor: number };
export const LATEST: Version = { latest: true };
export const v1 = (minor: number): Version => ({ latest: false, minor });

export function formatVersion(v: Version): string {
  return v.latest ? 'latest' : `v1.${v.minor}`;
}

/** Whether version `v` is at least v1.<minor> (latest is newer than everything). */
export function atLeast(v: Version, minor: number): boolean {
  return v.latest || v.minor >= minor;
}

export interface LevelVersion {
  level: Level;
  version: Version;
}

export const formatLevelVersion = (lv: LevelVersion) => `${lv.level}:${formatVersion(lv.version)}`;

export interface Policy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const ENFORCE_LEVEL_LABEL = `${LABEL_PREFIX}enforce`;
export const ENFORCE_VERSION_LABEL = `${LABEL_PREFIX}enforce-version`;
export const AUDIT_LEVEL_LABEL = `${LABEL_PREFIX}audit`;
export const AUDIT_VERSION_LABEL = `${LABEL_PREFIX}audit-version`;
export const WARN_LEVEL_LABEL = `${LABEL_PREFIX}warn`;
export const WARN_VERSION_LABEL = `${LABEL_PREFIX}warn-version`;

/** Audit annotation keys (kube prefixes the plugin's keys with the label prefix). */
export const AUDIT_VIOLATIONS_ANNOTATION = `${LABEL_PREFIX}audit-violations`;
export const ENFORCE_POLICY_ANNOTATION = `${LABEL_PREFIX}enforce-policy`;
export const EXEMPT_ANNOTATION = `${LABEL_PREFIX}exempt`;
export const ERROR_ANNOTATION = `${LABEL_PREFIX}error`;

export class PolicyParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyParseError';
  }
}

/** Like kube's ParseLevel: an unknown level is an error and reads as `restricted`. */
export function parseLevel(value: string): { level: Level; error?: PolicyParseError } {
  if ((LEVELS as readonly string[]).includes(value)) return { level: value as Level };
  return {
    level: 'restricted',
    error: new PolicyParseError(`must be one of ${LEVELS.join(', ')}`),
  };
}

const VERSION_RE = /^v1\.([0-9]|[1-9][0-9]*)$/;

/** Like kube's ParseVersion: `latest` or `v1.x`; anything else is an error and reads as latest. */
export function parseVersion(value: string): { version: Version; error?: PolicyParseError } {
  if (value === 'latest') return { version: LATEST };
  const m = VERSION_RE.exec(value);
  const minor = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(minor)) {
    return { version: LATEST, error: new PolicyParseError('must be "latest" or "v1.x"') };
  }
  return { version: v1(minor) };
}

export const DEFAULT_POLICY: Policy = {
  enforce: { level: 'privileged', version: LATEST },
  audit: { level: 'privileged', version: LATEST },
  warn: { level: 'privileged', version: LATEST },
};

/**
 * kube's PolicyToEvaluate: labels override the defaults; a bad enforce level enforces
 * `restricted` (fail closed) while bad audit/warn levels fall back to `privileged` (fail open).
 */
export function policyToEvaluate(
  labels: Record<string, string> | undefined,
  defaults: Policy = DEFAULT_POLICY,
): { policy: Policy; errors: FieldErrorList } {
  const policy: Policy = {
    enforce: { ...defaults.enforce },
    audit: { ...defaults.audit },
    warn: { ...defaults.warn },
  };
  const errors: FieldErrorList = [];
  if (!labels) return { policy, errors };
  const note = (label: string, value: string, err: PolicyParseError | undefined) => {
    if (err) errors.push(invalid(`metadata.labels[${label}]`, value, err.message));
  };
  const modes = [
    ['enforce', ENFORCE_LEVEL_LABEL, ENFORCE_VERSION_LABEL, false],
    ['audit', AUDIT_LEVEL_LABEL, AUDIT_VERSION_LABEL, true],
    ['warn', WARN_LEVEL_LABEL, WARN_VERSION_LABEL, true],
  ] as const;
  for (const [mode, levelLabel, versionLabel, failOpen] of modes) {
    const level = labels[levelLabel];
    if (level !== undefined) {
      const parsed = parseLevel(level);
      policy[mode].level = parsed.error && failOpen ? 'privileged' : parsed.level;
      note(levelLabel, level, parsed.error);
    }
    const version = labels[versionLabel];
    if (version !== undefined) {
      const parsed = parseVersion(version);
      policy[mode].version = parsed.version;
      note(versionLabel, version, parsed.error);
    }
  }
  return { policy, errors };
}

export const fullyPrivileged = (p: Policy) =>
  p.enforce.level === 'privileged' &&
  p.audit.level === 'privileged' &&
  p.warn.level === 'privileged';

/** kube's CompareLevels: -1 when a is less strict than b, 0 when equal, 1 when stricter. */
export function compareLevels(a: Level, b: Level): number {
  return Math.sign(LEVELS.indexOf(a) - LEVELS.indexOf(b));
}
