// Creating namespaced content requires a live namespace.
// TODO(#5): move to the NamespaceLifecycle admission plugin, where kube does this.
import { newForbidden, newNotFound } from '@splitplane/apimachinery';
import { groupResourceOf } from '@splitplane/scheme';
import type { WriteContext } from './context.js';
import type { Store } from './store.js';

export async function checkNamespaceForCreate(store: Store, ctx: WriteContext, name: string): Promise<void> {
  if (!ctx.def.namespaced) return;
  const nsDef = store.scheme.resource('', 'v1', 'namespaces');
  if (!nsDef) return;
  const ns = await store.storage.get(store.key(nsDef, '', ctx.namespace), ctx.deadline ? { deadline: ctx.deadline } : {});
  if (!ns) throw newNotFound({ group: '', resource: 'namespaces' }, ctx.namespace);
  const phase = (ns.obj.status as { phase?: string } | undefined)?.phase;
  if (ns.obj.metadata?.deletionTimestamp || phase === 'Terminating') {
    const err = newForbidden(
      groupResourceOf(ctx.def),
      name,
      `unable to create new content in namespace ${ctx.namespace} because it is being terminated`,
    );
    err.status.details!.causes = [
      { reason: 'NamespaceTerminating', message: `namespace ${ctx.namespace} is being terminated`, field: 'metadata.namespace' },
    ];
    throw err;
  }
}
