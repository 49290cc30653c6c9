// The GuaranteedUpdate-shaped loop every modifying verb shares (DESIGN §2): read current,
// compute the next object from it, run the update pipeline, CAS, retry on conflict. It also
// creates (create-on-update kinds) and deletes (last finalizer gone on a deleted object).
import { newNotFound, deepCopyJson } from '@splitplane/apimachinery';
import { groupResourceOf, type KubeObject } from '@splitplane/scheme';
import { DELETE } from '@splitplane/storage';
import type { WriteContext, WriteResult } from './context.js';
import { interpretStorageError } from './errors.js';
import { meta } from './object-meta.js';
import { prepareCreate, prepareUpdate, shouldDeleteDuringUpdate } from './pipeline.js';
import type { Store } from './store.js';
import { PendingEffects } from './write-hooks.js';

export interface UpdateSpec {
  /** The object the request wants, computed from the current one (apply body or patch). */
  compute(current: KubeObject | undefined, rv: string): KubeObject | Promise<KubeObject>;
  /** kube's AllowCreateOnUpdate for this kind and request. */
  allowCreate?: boolean;
}

export async function runUpdate(
  store: Store,
  ctx: WriteContext,
  spec: UpdateSpec,
): Promise<WriteResult> {
  const key = store.key(ctx.def, ctx.namespace, ctx.name);
  const mark = ctx.warnings.length;
  let created = false;
  // Effects (allocations) of the current attempt; a lost CAS race undoes them before retrying.
  const effects = new PendingEffects();
  try {
    const result = await store.storage.guaranteedUpdate(
      key,
      async (current, rv) => {
        ctx.warnings.length = mark; // a retry starts over, warnings included
        await effects.revert();
        if (!current) {
          if (!spec.allowCreate) throw newNotFound(groupResourceOf(ctx.def), ctx.name);
          const next = await spec.compute(undefined, rv);
          created = true;
          return prepareCreate(store, ctx, next, effects);
        }
        created = false;
        const next = await spec.compute(deepCopyJson(current), rv);
        // An unconditional update takes the current version, as kube's Store.Update does.
        const nm = meta(next);
        if (!nm.resourceVersion) nm.resourceVersion = rv;
        const prepared = await prepareUpdate(store, ctx, next, current, effects);
        if (shouldDeleteDuringUpdate(prepared, current)) {
          await effects.revert();
          return DELETE;
        }
        delete meta(prepared).resourceVersion;
        return prepared;
      },
      {
        ignoreNotFound: true,
        dryRun: ctx.dryRun,
        ...(ctx.deadline ? { deadline: ctx.deadline } : {}),
      },
    );
    await effects.commit();
    if (result.deleted && !ctx.dryRun) await store.hooks(ctx.def)?.afterDelete?.(ctx, result.obj);
    return { object: result.obj, code: created ? 201 : 200 };
  } catch (err) {
    await effects.revert();
    throw interpretStorageError(err, ctx.def, ctx.name);
  }
}
