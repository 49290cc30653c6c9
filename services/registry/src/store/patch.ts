// PATCH: kube's patch handler over the update loop: the patch is applied to the *current*
// object on every attempt, so concurrent writers never lose each other's changes.
import {
  APPLY_PATCH,
  BUILTIN_PATCH_TYPES,
  OBJECT_MODIFIED,
  applyPatch,
  newBadRequest,
  newConflict,
  newUnsupportedMediaType,
  schemaPatchMeta,
  type PatchMetaLookup,
  type SchemaDefinitions,
} from '@splitplane/apimachinery';
import { definitions } from '@splitplane/k8s-openapi';
import { apiVersionOf, groupResourceOf, type KubeObject } from '@splitplane/scheme';
import type { WriteContext, WriteResult } from './context.js';
import { enforceFieldValidation } from './field-validation.js';
import { patchScale } from './scale.js';
import type { Store } from './store.js';
import { runUpdate } from './update-loop.js';

const lookups = new Map<string, PatchMetaLookup | undefined>();

/** Strategic-merge metadata of a built-in kind; undefined for kinds without a schema (CRs). */
export function patchMetaFor(openapiName: string): PatchMetaLookup | undefined {
  if (!lookups.has(openapiName)) {
    const defs = definitions() as unknown as SchemaDefinitions;
    lookups.set(openapiName, defs[openapiName] ? schemaPatchMeta(defs, openapiName) : undefined);
  }
  return lookups.get(openapiName);
}

export async function patch(
  store: Store,
  ctx: WriteContext,
  patchType: string,
  patchBytes: Uint8Array,
): Promise<WriteResult> {
  const type = patchType.split(';')[0]!.trim().toLowerCase();
  if (type === APPLY_PATCH) {
    // TODO: server-side apply (managedFields, field ownership, force) — kube 1.32 serves it.
    throw newUnsupportedMediaType(
      patchType,
      BUILTIN_PATCH_TYPES.filter((t) => t !== APPLY_PATCH),
    );
  }
  if (ctx.subresource === 'scale') return patchScale(store, ctx, patchType, patchBytes);
  if (ctx.subresource && ctx.subresource !== 'status') {
    throw newBadRequest(`patch is not supported on the ${ctx.subresource} subresource`);
  }
  const meta = patchMetaFor(ctx.def.openapiName);
  const gr = groupResourceOf(ctx.def);
  const apiVersion = apiVersionOf(ctx.def);
  return runUpdate(store, ctx, {
    compute(current, rv) {
      const patched = applyPatch(patchType, current as never, patchBytes, meta) as KubeObject;
      if (patched.kind !== ctx.def.kind || patched.apiVersion !== apiVersion) {
        throw newBadRequest(
          `${String(patched.kind)} in version "${String(patched.apiVersion)}" cannot be handled as a ${ctx.def.kind}: the patch may not change the kind or apiVersion`,
        );
      }
      const m = patched.metadata ?? {};
      if (m.name !== ctx.name) {
        throw newBadRequest(
          `the name of the object (${String(m.name)}) does not match the name on the URL (${ctx.name})`,
        );
      }
      if (ctx.def.namespaced && m.namespace !== ctx.namespace) {
        throw newBadRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      if (m.uid !== current!.metadata?.uid) {
        throw newConflict(
          gr,
          ctx.name,
          `Precondition failed: UID in precondition: ${String(m.uid)}, UID in object meta: ${current!.metadata?.uid ?? ''}`,
        );
      }
      if (m.resourceVersion && m.resourceVersion !== rv)
        throw newConflict(gr, ctx.name, OBJECT_MODIFIED);
      ctx.warnings.push(...enforceFieldValidation(patched, ctx.def, ctx.fieldValidation));
      return patched;
    },
  });
}
