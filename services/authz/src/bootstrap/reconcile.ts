// kube's RBAC reconciliation (pkg/registry/rbac/reconciliation), in its additive form used
// by the bootstrap post-start hook: a missing object is created; an existing one gains the
// expected labels, annotations, rules (or aggregation selectors) and subjects it lacks, and
// keeps everything else. An object annotated autoupdate=false is protected: left as it is.
import type { KubeObject } from '@splitplane/scheme';
import type { BootstrapBinding, BootstrapRole, Subject } from './bindings.js';
import type { AggregationRule, BootstrapClusterRole } from './cluster-roles.js';
import { normalizeRule, uncoveredRules, type PolicyRule } from './rules.js';

export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';
export const BOOTSTRAPPING_LABEL = 'kubernetes.io/bootstrapping';
const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';

type Meta = NonNullable<KubeObject['metadata']>;

export interface RbacObject extends KubeObject {
  metadata: Meta;
  rules?: PolicyRule[] | null;
  aggregationRule?: AggregationRule | null;
  roleRef?: BootstrapBinding['roleRef'];
  subjects?: Subject[] | null;
}

/**
 * none: already as expected; create: absent; update: write `object`; recreate: the roleRef
 * differs (immutable), so delete and create `object`.
 */
export type ReconcileOperation = 'none' | 'create' | 'update' | 'recreate';

export interface ReconcileResult {
  operation: ReconcileOperation;
  /** What to write (for none: the existing object). */
  object: RbacObject;
  /** autoupdate=false: the caller must not write even when the operation is not none. */
  protected: boolean;
}

function defaultMetadata(
  name: string,
  namespace?: string,
  labels: Record<string, string> = {},
): Meta {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: { [BOOTSTRAPPING_LABEL]: 'rbac-defaults', ...labels },
    annotations: { [AUTOUPDATE_ANNOTATION]: 'true' },
  } as Meta;
}

export function clusterRoleObject(role: BootstrapClusterRole): RbacObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: defaultMetadata(role.name, undefined, role.labels),
    rules: role.rules.map(normalizeRule),
    ...(role.aggregationRule ? { aggregationRule: role.aggregationRule } : {}),
  };
}

export function roleObject(role: BootstrapRole): RbacObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'Role',
    metadata: defaultMetadata(role.name, role.namespace),
    rules: role.rules.map(normalizeRule),
  };
}

export function bindingObject(binding: BootstrapBinding): RbacObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: binding.namespace ? 'RoleBinding' : 'ClusterRoleBinding',
    metadata: defaultMetadata(binding.name, binding.namespace),
    roleRef: binding.roleRef,
    subjects: binding.subjects,
  };
}

/** Expected entries added, existing values kept (kube's merge(expected, existing)). */
function mergeMap(
  expected: Record<string, string> | undefined,
  existing: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!expected && !existing) return undefined;
  return { ...(expected ?? {}), ...(existing ?? {}) };
}

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b ?? {}).sort());

function mergeMetadata(
  existing: RbacObject,
  expected: RbacObject,
): { meta: Meta; changed: boolean } {
  const meta = structuredClone(existing.metadata);
  const annotations = mergeMap(expected.metadata.annotations, meta.annotations);
  const labels = mergeMap(expected.metadata.labels, meta.labels);
  const changed = !sameMap(annotations, meta.annotations) || !sameMap(labels, meta.labels);
  if (annotations) meta.annotations = annotations;
  if (labels) meta.labels = labels;
  return { meta, changed };
}

const isProtected = (obj: RbacObject) =>
  obj.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false';

const selectorKey = (s: unknown) => JSON.stringify(s);

/** Role or ClusterRole. */
export function reconcileRole(
  existing: RbacObject | undefined,
  expected: RbacObject,
): ReconcileResult {
  if (!existing) return { operation: 'create', object: expected, protected: false };
  const { meta, changed } = mergeMetadata(existing, expected);
  const result: RbacObject = { ...structuredClone(existing), metadata: meta };
  let operation: ReconcileOperation = changed ? 'update' : 'none';
  const missing = uncoveredRules(existing.rules ?? [], expected.rules ?? []);
  if (missing.length > 0) {
    result.rules = [...(existing.rules ?? []), ...missing];
    operation = 'update';
  }
  const expectedAgg = expected.aggregationRule?.clusterRoleSelectors;
  if (!expectedAgg && existing.aggregationRule) {
    // Not an aggregated role by policy: the aggregation rule goes, as kube removes it.
    delete result.aggregationRule;
    operation = 'update';
  } else if (expectedAgg) {
    const have = existing.aggregationRule?.clusterRoleSelectors ?? [];
    const haveKeys = new Set(have.map(selectorKey));
    const missingSelectors = expectedAgg.filter((s) => !haveKeys.has(selectorKey(s)));
    if (missingSelectors.length > 0) {
      result.aggregationRule = { clusterRoleSelectors: [...have, ...missingSelectors] };
      operation = 'update';
    }
  }
  return { operation, object: result, protected: isProtected(existing) };
}

const subjectKey = (s: Subject) =>
  JSON.stringify([s.kind, s.apiGroup ?? '', s.name, s.namespace ?? '']);

/** RoleBinding or ClusterRoleBinding. */
export function reconcileBinding(
  existing: RbacObject | undefined,
  expected: RbacObject,
): ReconcileResult {
  if (!existing) return { operation: 'create', object: expected, protected: false };
  const { meta, changed } = mergeMetadata(existing, expected);
  const result: RbacObject = { ...structuredClone(existing), metadata: meta };
  let operation: ReconcileOperation = changed ? 'update' : 'none';
  const haveKeys = new Set((existing.subjects ?? []).map(subjectKey));
  const missing = (expected.subjects ?? []).filter((s) => !haveKeys.has(subjectKey(s)));
  if (missing.length > 0) {
    result.subjects = [...(existing.subjects ?? []), ...missing];
    operation = 'update';
  }
  const ref = existing.roleRef;
  const want = expected.roleRef!;
  if (!ref || ref.kind !== want.kind || ref.name !== want.name || ref.apiGroup !== want.apiGroup) {
    // roleRef is immutable: kube deletes the binding and creates it with the right one.
    result.roleRef = want;
    operation = 'recreate';
  }
  return { operation, object: result, protected: isProtected(existing) };
}
