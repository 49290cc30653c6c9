// Creating namespaced content requires a live namespace.
// TODO(#5): move to the NamespaceLifecycle admission plugin, where kube does this.
// Namespaces read as Active are remembered briefly (namespace-cache.ts explains the window);
// anything else is read from etcd on every create, so 404 and 403 answers are always live.
import { newForbidden, newNotFound } from '@splitplane/apimachinery';
import { groupResourceOf } from '@splitplane/scheme';
import type { WriteContext } from './context.js';
import type { Store } from './store.js';

export async function checkNamespaceForCreate(
  store: Store,
  ctx: WriteContext,
  name: string,
): Promise<void> {
  if (!ctx.def.namespaced) return;
  const nsDef = store.namespaceDef;
  if (!nsDef) return;
  const cache = store.activeNamespaces;
  if (cache.isActive(ctx.namespace)) return;
  const mark = cache.mark();
  const ns = await store.storage.get(
    store.key(nsDef, '', ctx.namespace),
    ctx.deadline ? { deadline: ctx.deadline } : {},
  );
  if (!ns) throw newNotFound({ group: '', resource: 'namespaces' }, ctx.namespace);
  const phase = (ns.obj.status as { phase?: string } | undefined)?.phase;
  if (ns.obj.metadata?.deletionTimestamp || phase === 'Terminating') {
    const err = newForbidden(
      groupResourceOf(ctx.def),
      name,
      `unable to create new content in namespace ${ctx.namespace} because it is being terminated`,
    );
    err.status.details!.causes = [
      {
        reason: 'NamespaceTerminating',
        message: `namespace ${ctx.namespace} is being terminated`,
        field: 'metadata.namespace',
      },
    ];
    throw err;
  }
  if (phase === 'Active') cache.remember(ctx.namespace, mark);
}

/** Every write to a namespace through the store calls this, so the cache never outlives it. */
export function namespaceWritten(store: Store, ctx: WriteContext, name: string): void {
  if (ctx.def === store.namespaceDef) store.activeNamespaces.forget(name);
}
