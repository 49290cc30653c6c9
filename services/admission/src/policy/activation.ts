// The values kube binds for policy expressions: request (admission.k8s.io AdmissionRequest
// minus the objects), namespaceObject (a trimmed Namespace) and lazily evaluated variables.
import type { GroupVersionKind, GroupVersionResource } from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import type { Activation, BoundActivation, CelCompiler } from '../cel/index.js';
import { CelCompileError, bindActivation } from '../cel/index.js';
import type { AdmissionAttributes } from '../chain/plugin.js';
import type { Variable } from './types.js';

/** The user's extra as kube's UserInfo carries it (the proto wraps each list in `values`). */
export function userExtra(a: AdmissionAttributes): Record<string, string[]> {
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(a.user.extra ?? {})) extra[k] = [...(v?.values ?? [])];
  return extra;
}

export function requestObject(
  a: AdmissionAttributes,
  matched: { resource: GroupVersionResource; kind: GroupVersionKind },
): Record<string, unknown> {
  const extra = userExtra(a);
  return {
    uid: a.uid,
    kind: { ...matched.kind },
    resource: { ...matched.resource },
    subResource: a.subresource,
    requestKind: { ...a.kind },
    requestResource: { ...a.resource },
    requestSubResource: a.subresource,
    name: a.name,
    namespace: a.namespace,
    operation: a.operation,
    userInfo: { username: a.user.username, uid: a.user.uid, groups: [...a.user.groups], extra },
    dryRun: a.dryRun,
    options: a.options ?? null,
  };
}

const NAMESPACE_META = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'finalizers',
] as const;

/** Only the fields kube exposes (no managedFields, ownerReferences). */
export function namespaceObject(ns: KubeObject | undefined): Record<string, unknown> | null {
  if (!ns) return null;
  const meta: Record<string, unknown> = {};
  const src = (ns.metadata ?? {}) as Record<string, unknown>;
  for (const k of NAMESPACE_META) if (src[k] !== undefined) meta[k] = src[k];
  const out: Record<string, unknown> = { metadata: meta };
  if (ns['spec'] !== undefined) out['spec'] = ns['spec'];
  if (ns['status'] !== undefined) out['status'] = ns['status'];
  return out;
}

/**
 * The activation converted once, with variables.<name> each evaluated on first use and
 * memoized (kube's composition environment); later variables may use earlier ones. Errors
 * surface in the expression that reads the variable.
 */
export function bindPolicyActivation(
  variables: readonly Variable[],
  base: Activation,
  compiler: CelCompiler,
): BoundActivation {
  const out: Record<string, unknown> = {};
  const activation = bindActivation({ ...base, variables: out });
  for (const v of variables) {
    let state: { value: unknown } | { error: Error } | undefined;
    Object.defineProperty(out, v.name, {
      enumerable: true,
      get() {
        if (!state) {
          try {
            state = { value: compiler.compile(v.expression).evaluate(activation) };
          } catch (err) {
            const verb = err instanceof CelCompileError ? 'compile' : 'evaluate';
            state = {
              error: new Error(
                `composited variable "${v.name}" fails to ${verb}: ${(err as Error).message}`,
              ),
            };
          }
        }
        if ('error' in state) throw state.error;
        return state.value;
      },
    });
  }
  return activation;
}
