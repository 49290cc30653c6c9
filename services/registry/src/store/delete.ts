// DELETE: kube's Store.Delete with graceful deletion (pods), finalizers (deletionTimestamp
// is set and the object kept) and namespaces (Terminating until the namespace controller
// has emptied them). propagationPolicy is validated and accepted; there is no garbage
// collector yet, so it adds no orphan/foregroundDeletion finalizers.
import { newForbidden, successStatus, deepCopyJson } from '@splitplane/apimachinery';
import { groupResourceOf, type KubeObject } from '@splitplane/scheme';
import { DELETE } from '@splitplane/storage';
import { admit, optionsFor, validateAdmission } from './admission-steps.js';
import type { WriteContext, WriteResult } from './context.js';
import { type DeleteOptions, parseDeleteOptions } from './delete-options.js';
import { interpretStorageError } from './errors.js';
import { meta, rfc3339 } from './object-meta.js';
import type { Store } from './store.js';
import { SYSTEM_PRIORITY_CLASSES } from '../strategies/scheduling/priority-class.js';

const isSystemClass = (name: string) => SYSTEM_PRIORITY_CLASSES.some((c) => c.name === name);

/** kube's immortal namespaces (NamespaceLifecycle). */
export const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** Kinds whose registry sets ReturnDeletedObject: an immediate delete answers with the object. */
const RETURNS_DELETED_OBJECT = new Set([
  '/Pod',
  '/Namespace',
  '/Service',
  '/PersistentVolume',
  '/PersistentVolumeClaim',
]);

export async function deleteObject(
  store: Store,
  ctx: WriteContext,
  optionsBytes: Uint8Array,
): Promise<WriteResult> {
  // kube's priorityclasses REST guards a single DELETE only (DeleteCollection goes
  // straight to the generic store).
  const { def, name } = ctx;
  if (def.group === 'scheduling.k8s.io' && def.kind === 'PriorityClass' && isSystemClass(name)) {
    throw newForbidden(
      groupResourceOf(def),
      name,
      'this is a system priority class and cannot be deleted',
    );
  }
  return deleteOne(store, ctx, ctx.name, parseDeleteOptions(optionsBytes));
}

export async function deleteOne(
  store: Store,
  ctx: WriteContext,
  name: string,
  options: DeleteOptions,
): Promise<WriteResult> {
  const { def } = ctx;
  const gr = groupResourceOf(def);
  const isNamespace = def.group === '' && def.kind === 'Namespace';
  if (isNamespace && IMMORTAL_NAMESPACES.has(name)) {
    throw newForbidden(gr, name, 'this namespace may not be deleted');
  }
  const strategy = store.strategy(def);
  const deleteOpts = optionsFor(ctx, 'DeleteOptions', { ...options });
  const mark = ctx.warnings.length;
  let deferred = false;
  try {
    const result = await store.storage.guaranteedUpdate(
      store.key(def, ctx.namespace, name),
      async (current): Promise<KubeObject | typeof DELETE> => {
        ctx.warnings.length = mark;
        const obj = deepCopyJson(current!);
        const dctx = { ...ctx, name };
        await admit(store, dctx, 'DELETE', undefined, obj, deleteOpts);
        await validateAdmission(store, dctx, 'DELETE', undefined, obj, deleteOpts);
        const m = meta(obj);
        const now = store.now();
        const finalizers = m.finalizers ?? [];
        const nsFinalizers = isNamespace
          ? ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [])
          : [];
        const graceful = !!strategy.defaultGracePeriodSeconds;
        let grace = 0;
        if (graceful) {
          grace = options.gracePeriodSeconds ?? strategy.defaultGracePeriodSeconds!(obj) ?? 30;
          if (grace < 0) grace = 1;
          if (!isPodRunnable(obj)) grace = 0;
        }

        if (m.deletionTimestamp) {
          // Already terminating: only a shorter grace period changes anything.
          const currentGrace = m.deletionGracePeriodSeconds;
          if (
            graceful &&
            options.gracePeriodSeconds !== undefined &&
            (currentGrace === undefined || grace < currentGrace)
          ) {
            m.deletionGracePeriodSeconds = grace;
            m.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000));
            if (grace === 0 && finalizers.length === 0) return DELETE;
          }
          deferred = true;
          return obj;
        }
        if (grace > 0 || finalizers.length > 0 || nsFinalizers.length > 0) {
          m.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000));
          m.deletionGracePeriodSeconds = grace;
          if ((m.generation ?? 0) > 0) m.generation = m.generation! + 1;
          if (isNamespace) obj.status = { ...((obj.status as object) ?? {}), phase: 'Terminating' };
          deferred = true;
          return obj;
        }
        return DELETE;
      },
      {
        dryRun: ctx.dryRun,
        ...(options.preconditions ? { preconditions: options.preconditions } : {}),
        ...(ctx.deadline ? { deadline: ctx.deadline } : {}),
      },
    );
    // kube's AfterDelete: a Service gives its IPs and node ports back once it is gone.
    if (result.deleted && !ctx.dryRun)
      await store.hooks(def)?.afterDelete?.({ ...ctx, name }, result.obj);
    if (!result.deleted || deferred) {
      return { object: result.obj, code: options.orphanDependents === false ? 202 : 200 };
    }
    if (RETURNS_DELETED_OBJECT.has(`${def.group}/${def.kind}`))
      return { object: result.obj, code: 200 };
    const status = successStatus({
      name,
      group: def.group,
      kind: def.plural,
      ...(result.obj.metadata?.uid ? { uid: result.obj.metadata.uid } : {}),
    });
    return { object: status as unknown as Record<string, unknown>, code: 200 };
  } catch (err) {
    throw interpretStorageError(err, def, name);
  }
}

/** kube deletes pods that never reached a node, or that have finished, without grace. */
function isPodRunnable(pod: KubeObject): boolean {
  if (pod.kind !== 'Pod') return true;
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return !!spec.nodeName && phase !== 'Succeeded' && phase !== 'Failed';
}
