// The namespaces every cluster has, created at startup if absent (kube's system namespaces
// controller). Idempotent: AlreadyExists from a racing replica is success.
import type { KubeObject } from '@splitplane/scheme';
import { StatusError } from '@splitplane/apimachinery';
import type { RequestAttributes } from '@splitplane/proto';
import { createObject } from '../store/create.js';
import type { Store } from '../store/store.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function systemAttributes(
  gvr: { group: string; version: string; resource: string },
  namespace: string,
  name: string,
  user: RequestAttributes['user'] = {
    username: 'system:apiserver',
    uid: '',
    groups: ['system:masters'],
    extra: {},
  },
): RequestAttributes {
  return {
    user,
    resource: gvr,
    namespace,
    name,
    subresource: '',
    dryRun: false,
    fieldManager: '',
    fieldValidation: 'Ignore',
    auditId: '',
  };
}

export async function ensureSystemNamespaces(store: Store): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    const ctx = store.context(
      systemAttributes({ group: '', version: 'v1', resource: 'namespaces' }, '', name),
    );
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    try {
      await createObject(store, ctx, ns, false);
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'AlreadyExists') continue;
      throw err;
    }
  }
}
