// A Pod Security Standards check: one control, versioned as kube's VersionedCheck list.
import type { Level } from './api.js';
import type { PodMetaLike, PodSpecLike } from './pod-types.js';

export interface CheckResult {
  allowed: boolean;
  /** Short reason, e.g. "privileged". */
  forbiddenReason?: string;
  /** Detail, e.g. `container "c" must not set securityContext.privileged=true`. */
  forbiddenDetail?: string;
}

export const ALLOWED: CheckResult = { allowed: true };

export const forbid = (forbiddenReason: string, forbiddenDetail: string): CheckResult => ({
  allowed: false,
  forbiddenReason,
  forbiddenDetail,
});

export type CheckPod = (meta: PodMetaLike, spec: PodSpecLike) => CheckResult;

export interface VersionedCheck {
  /** The first policy minor version (v1.<minor>) this implementation applies to. */
  minimumVersion: number;
  checkPod: CheckPod;
  /** Baseline check IDs this restricted check replaces at this version. */
  overrides?: readonly string[];
}

export interface Check {
  id: string;
  level: Exclude<Level, 'privileged'>;
  /** Ascending by minimumVersion. */
  versions: readonly VersionedCheck[];
}
