// The /scale subresource of deployments, replicasets and statefulsets: an autoscaling/v1 Scale
// computed from its parent; writing it sets the parent's spec.replicas through the normal
// update pipeline (so generation, validation and admission all apply to the parent).
import {
  OBJECT_MODIFIED,
  applyPatch,
  newBadRequest,
  newConflict,
  newNotFound,
} from '@splitplane/apimachinery';
import { groupResourceOf, type KubeObject } from '@splitplane/scheme';
import type { WriteContext, WriteResult } from './context.js';
import { checkName, decodeBody } from './decode.js';
import type { Store } from './store.js';
import { patchMetaFor } from './patch.js';
import { runUpdate } from './update-loop.js';
import { scaleOf, validateScale } from './scale-view.js';

export { scaleOf } from './scale-view.js';

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
