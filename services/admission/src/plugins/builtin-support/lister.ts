// Listers over the informer hub. A synced informer answers from memory; before it has
// synced, reads go live through the watch-cache so a plugin never decides on a partial view
// (kube's plugins wait for their informers instead).
import type { KubeObject } from '@splitplane/scheme';
import type { InformerHub } from '../../chain/plugin-deps.js';
import type { HubResource } from './resources.js';

export interface ObjectLister {
  /** The object, or undefined when it does not exist. */
  get(namespace: string, name: string): Promise<KubeObject | undefined>;
  /** Every object of `namespace` ('' = all namespaces, or a cluster-scoped resource). */
  list(namespace: string): Promise<KubeObject[]>;
}

export function hubLister(hub: InformerHub, resource: HubResource): ObjectLister {
  // Created with the plugin, so admission's ready gate waits for it to sync, as kube's
  // plugins wait for their informers.
  const informer = hub.informer(resource);
  const synced = () => (informer.hasSynced ? informer : undefined);
  return {
    async get(namespace, name) {
      const inf = synced();
      if (inf) return inf.store.get(namespace, name);
      return hub.get(resource, namespace, name);
    },
    async list(namespace) {
      const inf = synced();
      if (!inf) return hub.list(resource, namespace);
      return namespace === '' ? inf.store.list() : inf.store.byIndex('namespace', namespace);
    },
  };
}

/** Live reads only, for the lookups kube makes against the server on a cache miss. */
export function liveLister(hub: InformerHub, resource: HubResource): ObjectLister {
  return {
    get: (namespace, name) => hub.get(resource, namespace, name),
    list: (namespace) => hub.list(resource, namespace),
  };
}
