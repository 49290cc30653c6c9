// PodSecurityConfiguration: defaults for namespaces without labels, and exemptions.
import {
  type Level,
  type LevelVersion,
  type Policy,
  DEFAULT_POLICY,
  parseLevel,
  parseVersion,
} from './api.js';

export interface PodSecurityDefaults {
  enforce?: string;
  enforceVersion?: string;
  audit?: string;
  auditVersion?: string;
  warn?: string;
  warnVersion?: string;
}

export interface PodSecurityExemptions {
  /** Authenticated usernames whose requests are not evaluated. */
  usernames?: string[];
  /** Pods with one of these runtimeClassNames are not evaluated. */
  runtimeClasses?: string[];
  namespaces?: string[];
}

export interface PodSecurityConfiguration {
  defaults?: PodSecurityDefaults;
  exemptions?: PodSecurityExemptions;
}

export class PodSecurityConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PodSecurityConfigError';
  }
}

/** Resolves configured defaults; unlike namespace labels, a bad value here is a startup error. */
export function resolveDefaults(d: PodSecurityDefaults = {}): Policy {
  const one = (
    field: string,
    level: string | undefined,
    version: string | undefined,
    base: LevelVersion,
  ) => {
    const out: LevelVersion = { ...base };
    if (level !== undefined) {
      const p = parseLevel(level);
      if (p.error)
        throw new PodSecurityConfigError(`defaults.${field}: ${p.error.message}`, {
          cause: p.error,
        });
      out.level = p.level as Level;
    }
    if (version !== undefined) {
      const p = parseVersion(version);
      if (p.error)
        throw new PodSecurityConfigError(`defaults.${field}-version: ${p.error.message}`, {
          cause: p.error,
        });
      out.version = p.version;
    }
    return out;
  };
  return {
    enforce: one('enforce', d.enforce, d.enforceVersion, DEFAULT_POLICY.enforce),
    audit: one('audit', d.audit, d.auditVersion, DEFAULT_POLICY.audit),
    warn: one('warn', d.warn, d.warnVersion, DEFAULT_POLICY.warn),
  };
}
