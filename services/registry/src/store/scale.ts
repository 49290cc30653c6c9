// The /scale subresource of deployments, replicasets and statefulsets: an autoscaling/v1 Scale
// computed from its parent; writing it sets the parent's spec.replicas through the normal
// update pipeline (so generation, validation and admission all apply to the parent).
import {
  OBJECT_MODIFIED,
  applyPatch,
  fromLabelSelector,
  invalid,
  newBadRequest,
  newConflict,
  newInvalid,
  newNotFound,
  type FieldError,
} from '@splitplane/apimachinery';
import { groupResourceOf, type KubeObject } from '@splitplane/scheme';
import type { WriteContext, WriteResult } from './context.js';
import { checkName, decodeBody } from './decode.js';
import type { Store } from './store.js';
import { patchMetaFor } from './patch.js';
import { runUpdate } from './update-loop.js';

const SCALE_GK = { group: 'autoscaling', kind: 'Scale' };

export function scaleOf(parent: KubeObject): KubeObject {
  const m = parent.metadata ?? {};
  const spec = (parent.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (parent.status ?? {}) as { replicas?: number };
  let selector = '';
  try {
    selector = fromLabelSelector(spec.selector as never).toString();
  } catch {
    selector = '';
  }
  const meta: Record<string, unknown> = { name: m.name, namespace: m.namespace, uid: m.uid };
  if (m.resourceVersion) meta.resourceVersion = m.resourceVersion;
  if (m.creationTimestamp) meta.creationTimestamp = m.creationTimestamp;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: meta,
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}

function requireScale(ctx: WriteContext): void {
  if (!ctx.def.subresources.scale) {
    throw newNotFound(groupResourceOf(ctx.def), ctx.name);
  }
}

export async function getScale(store: Store, ctx: WriteContext): Promise<WriteResult> {
  requireScale(ctx);
  const got = await store.storage.get(
    store.key(ctx.def, ctx.namespace, ctx.name),
    ctx.deadline ? { deadline: ctx.deadline } : {},
  );
  if (!got) throw newNotFound(groupResourceOf(ctx.def), ctx.name);
  return { object: scaleOf(got.obj), code: 200 };
}

function validateScale(scale: KubeObject, name: string): number {
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
  const errs: FieldError[] = [];
  const n = replicas === undefined ? 0 : replicas;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    errs.push(invalid('spec.replicas', n, 'must be an integer'));
  } else if (n < 0) {
    errs.push(invalid('spec.replicas', n, 'must be greater than or equal to 0'));
  }
  if (errs.length) throw newInvalid(SCALE_GK, name, errs);
  return n as number;
}

/** Applies a desired Scale (computed per attempt from the current parent) to the parent. */
async function writeScale(
  store: Store,
  ctx: WriteContext,
  desired: (current: KubeObject, rv: string) => KubeObject,
): Promise<WriteResult> {
  requireScale(ctx);
  const gr = groupResourceOf(ctx.def);
  const result = await runUpdate(store, ctx, {
    compute(current, rv) {
      const parent = current!;
      const scale = desired(parent, rv);
      const sm = (scale.metadata ?? {}) as {
        resourceVersion?: string;
        uid?: string;
        name?: string;
      };
      if (sm.resourceVersion && sm.resourceVersion !== rv)
        throw newConflict(gr, ctx.name, OBJECT_MODIFIED);
      if (sm.uid && sm.uid !== parent.metadata?.uid) {
        throw newConflict(
          gr,
          ctx.name,
          `Precondition failed: UID in precondition: ${sm.uid}, UID in object meta: ${parent.metadata?.uid ?? ''}`,
        );
      }
      const replicas = validateScale(scale, ctx.name);
      return { ...parent, spec: { ...(parent.spec as object), replicas } };
    },
  });
  return { object: scaleOf(result.object as KubeObject), code: 200 };
}

export function updateScale(
  store: Store,
  ctx: WriteContext,
  body: Uint8Array,
): Promise<WriteResult> {
  const scale = decodeBody(body, ctx.def, 'Scale', 'autoscaling/v1');
  checkName(scale, ctx.name);
  return writeScale(store, ctx, () => scale);
}

export function patchScale(
  store: Store,
  ctx: WriteContext,
  patchType: string,
  patch: Uint8Array,
): Promise<WriteResult> {
  return writeScale(store, ctx, (parent) => {
    const patched = applyPatch(
      patchType,
      scaleOf(parent) as never,
      patch,
      patchMetaFor('io.k8s.api.autoscaling.v1.Scale'),
    ) as KubeObject;
    if (patched.metadata?.name !== ctx.name) {
      throw newBadRequest(
        `the name of the object (${String(patched.metadata?.name)}) does not match the name on the URL (${ctx.name})`,
      );
    }
    return patched;
  });
}
