// The shared middle of every write, after kube's rest.BeforeCreate / rest.BeforeUpdate:
// defaults -> mutating admission -> strategy prepare -> validation (422) -> validating admission.
import { newInvalid, type FieldError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { admit, optionsFor, validateAdmission } from './admission-steps.js';
import type { WriteContext } from './context.js';
import { fillSystemFields, meta } from './object-meta.js';
import type { Store } from './store.js';
import type { PendingEffects } from './write-hooks.js';
import { SCALE_KIND, scaleOf, withScaleReplicas } from './scale-view.js';

const groupKind = (ctx: WriteContext) => ({ group: ctx.def.group, kind: ctx.def.kind });

export function throwIfInvalid(ctx: WriteContext, name: string, errs: FieldError[]): void {
  if (errs.length > 0) throw newInvalid(groupKind(ctx), name, errs);
}

/**
 * Prepares a new object for storage. The name must already be chosen (generateName is the
 * caller's, as it retries on collisions). Returns the object to store.
 */
export async function prepareCreate(
  store: Store,
  ctx: WriteContext,
  input: KubeObject,
  effects?: PendingEffects,
): Promise<KubeObject> {
  const strategy = store.strategy(ctx.def);
  strategy.applyDefaults(input);
  const options = optionsFor(ctx, 'CreateOptions');
  const obj = (await admit(store, ctx, 'CREATE', input, undefined, options))!;
  const m = meta(obj);
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.resourceVersion;
  delete m.selfLink;
  // System fields first, as kube's BeforeCreate does: strategies may derive from the uid
  // (Job selectors and controller-uid labels).
  fillSystemFields(obj, store.now());
  strategy.prepareForCreate(obj);
  // Allocation (kube's BeginCreate) comes before validation, so its errors win, as in kube.
  const begin = store.hooks(ctx.def)?.beginCreate;
  if (begin) {
    if (!effects)
      throw new Error(`creating ${ctx.def.plural} needs a PendingEffects to hold its allocations`);
    effects.add(await begin(ctx, obj));
  }
  throwIfInvalid(ctx, m.name ?? '', strategy.validate(obj));
  const check = store.referenceCheck(ctx.def);
  if (check) throwIfInvalid(ctx, m.name ?? '', await check(ctx, obj, undefined));
  ctx.warnings.push(...(strategy.warningsOnCreate?.(obj) ?? []));
  strategy.canonicalize?.(obj);
  await validateAdmission(store, ctx, 'CREATE', obj, undefined, options);
  return obj;
}

/** Prepares an update of `old` to `input` (main resource, or /status when ctx says so). */
export async function prepareUpdate(
  store: Store,
  ctx: WriteContext,
  input: KubeObject,
  old: KubeObject,
  effects?: PendingEffects,
): Promise<KubeObject> {
  const strategy = store.strategy(ctx.def);
  strategy.applyDefaults(input);
  const options = optionsFor(ctx, 'UpdateOptions');
  const scale = ctx.subresource === 'scale';
  let obj: KubeObject;
  if (scale) {
    // kube's scale REST admits the autoscaling/v1 Scale; its replicas go back to the parent.
    const admitted = await admit(
      store,
      ctx,
      'UPDATE',
      scaleOf(input),
      scaleOf(old),
      options,
      SCALE_KIND,
    );
    obj = withScaleReplicas(input, admitted!, ctx.name);
  } else {
    obj = (await admit(store, ctx, 'UPDATE', input, old, options))!;
  }
  const m = meta(obj);
  const oldMeta = old.metadata ?? {};
  // Users cannot set generation; the strategy bumps it from the old value.
  if (oldMeta.generation === undefined) delete m.generation;
  else m.generation = oldMeta.generation;
  const status = ctx.subresource === 'status';
  if (status) strategy.prepareForStatusUpdate(obj, old);
  else strategy.prepareForUpdate(obj, old);
  const hooks = store.hooks(ctx.def);
  const begin = status ? hooks?.beginStatusUpdate : hooks?.beginUpdate;
  if (begin) {
    if (!effects)
      throw new Error(`updating ${ctx.def.plural} needs a PendingEffects to hold its allocations`);
    effects.add(await begin(ctx, obj, old));
  }
  if (!m.uid) m.uid = oldMeta.uid;
  if (oldMeta.creationTimestamp) m.creationTimestamp = oldMeta.creationTimestamp;
  // An update can never remove or change a deletion timestamp or grace period.
  if (oldMeta.deletionTimestamp) m.deletionTimestamp = oldMeta.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined)
    m.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  const errs =
    status && strategy.validateStatusUpdate
      ? strategy.validateStatusUpdate(obj, old)
      : strategy.validateUpdate(obj, old);
  throwIfInvalid(ctx, m.name ?? '', errs);
  const check = status || scale ? undefined : store.referenceCheck(ctx.def);
  if (check) throwIfInvalid(ctx, m.name ?? '', await check(ctx, obj, old));
  strategy.canonicalize?.(obj);
  if (scale) {
    await validateAdmission(store, ctx, 'UPDATE', scaleOf(obj), scaleOf(old), options, SCALE_KIND);
  } else {
    await validateAdmission(store, ctx, 'UPDATE', obj, old, options);
  }
  return obj;
}

/**
 * kube deletes an object during an update once it is being deleted, has no finalizers left,
 * and its grace period has run out (generic registry's ShouldDeleteDuringUpdate).
 */
export function shouldDeleteDuringUpdate(obj: KubeObject, old: KubeObject): boolean {
  const m = obj.metadata ?? {};
  const oldMeta = old.metadata ?? {};
  return (
    !!m.deletionTimestamp &&
    (m.finalizers ?? []).length === 0 &&
    oldMeta.deletionGracePeriodSeconds !== undefined &&
    oldMeta.deletionGracePeriodSeconds === 0
  );
}
