// The per-kind hooks the generic store calls around every write, after kube's
// rest.RESTCreateStrategy / RESTUpdateStrategy family.
import type { KubeObject, ResourceDefinition } from '@splitplane/scheme';
import type { FieldError } from '@splitplane/apimachinery';

export interface Strategy {
  /** Apply API defaults in place (the scheme's defaulting funcs), e.g. restartPolicy, imagePullPolicy. Runs on create, update and patch results. */
  applyDefaults(obj: KubeObject): void;
  /** Before create: clear status (when the resource has a status subresource), set generation=1, drop fields users can't set. */
  prepareForCreate(obj: KubeObject): void;
  /** Before update of the main resource: keep old status when there's a status subresource; bump metadata.generation when spec (or whatever kube counts — e.g. everything but metadata and status) changed. */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  /** For the /status subresource: keep everything but status from old (metadata labels/annotations etc per kube's status strategies). */
  prepareForStatusUpdate(obj: KubeObject, old: KubeObject): void;
  validate(obj: KubeObject): FieldError[];
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Warnings for the Warning header (kube's per-kind warnings, e.g. deprecated fields); optional. */
  warningsOnCreate?(obj: KubeObject): string[];
  /** Normalize after validation (kube's Canonicalize). */
  canonicalize?(obj: KubeObject): void;
  /** Whether a DELETE is graceful by default (pods: 30s terminationGracePeriodSeconds). */
  defaultGracePeriodSeconds?(obj: KubeObject): number | undefined;
}

/** Builds the Strategy for one resource definition. */
export type StrategyFactory = (def: ResourceDefinition) => Strategy;
