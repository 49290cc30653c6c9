// Keeps the gateway's authorization decisions fresh: informers over the four RBAC resources
// empty the decision cache on every add, update and delete (and on every relist, since a
// relist emits its differences as events).
//
// authz learns of the same change through its own informer, possibly a little later than
// the gateway does; a decision it gives in that window still reflects the old policy. So
// every change empties the cache twice: at once, and again `settleMs` later, after authz has
// caught up. Whatever still slips through (a lost NATS message the feed has not healed yet)
// is bounded by the cache's TTLs.
import type { Logger } from '@splitplane/kit';
import { Informer, type InformerResource, ResourceFeed } from '@splitplane/informer';
import type { WatchCacheClient } from '@splitplane/proto';
import type { AuthorizationCache } from './authorization-cache.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export const RBAC_RESOURCES: readonly InformerResource[] = [
  { group: RBAC_GROUP, version: 'v1', resource: 'roles', kind: 'Role', namespaced: true },
  {
    group: RBAC_GROUP,
    version: 'v1',
    resource: 'rolebindings',
    kind: 'RoleBinding',
    namespaced: true,
  },
  {
    group: RBAC_GROUP,
    version: 'v1',
    resource: 'clusterroles',
    kind: 'ClusterRole',
    namespaced: false,
  },
  {
    group: RBAC_GROUP,
    version: 'v1',
    resource: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    namespaced: false,
  },
];

export interface RbacInvalidationOptions {
  cache: Pick<AuthorizationCache, 'invalidate'>;
  watchCache: WatchCacheClient;
  /** A feed of one resource (the gateway's NATS feed factory); closed by stop(). */
  feedFor(
    group: string,
    resource: string,
  ): Promise<ResourceFeed | unknown> | ResourceFeed | unknown;
  /** The second emptying after a change, once authz has seen it too (default 1 s). */
  settleMs?: number;
  log?: Logger;
}

export interface RbacInvalidation {
  /** Resolves once all four informers have synced (rejects only if one fails for good). */
  readonly synced: Promise<void>;
  /** Invalidations so far (tests, metrics). */
  readonly count: number;
  stop(): void;
}

export function invalidateOnRbacChanges(opts: RbacInvalidationOptions): RbacInvalidation {
  const settleMs = opts.settleMs ?? 1_000;
  const informers: Informer[] = [];
  const feeds: ResourceFeed[] = [];
  let settle: NodeJS.Timeout | undefined;
  let stopped = false;
  let count = 0;

  const changed = () => {
    if (stopped) return;
    count++;
    opts.cache.invalidate();
    if (settle) return;
    settle = setTimeout(() => {
      settle = undefined;
      opts.cache.invalidate();
    }, settleMs);
    settle.unref();
  };

  const startOne = async (def: InformerResource): Promise<void> => {
    const feed = await opts.feedFor(def.group, def.resource);
    if (!(feed instanceof ResourceFeed)) {
      throw new TypeError(`no ResourceFeed for ${def.resource}.${def.group}`);
    }
    if (stopped) {
      feed.close();
      return;
    }
    feeds.push(feed);
    const informer = new Informer({
      watchCache: opts.watchCache,
      def,
      feed,
      ...(opts.log ? { log: opts.log.child({ informer: def.resource }) } : {}),
    });
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', changed);
    informers.push(informer);
    await informer.start();
  };

  const synced = Promise.all(RBAC_RESOURCES.map(startOne)).then(() => undefined);
  synced.catch((err: unknown) =>
    opts.log?.warn({ err }, 'RBAC informers failed; authorization decisions expire by TTL only'),
  );

  return {
    synced,
    get count() {
      return count;
    },
    stop() {
      stopped = true;
      if (settle) clearTimeout(settle);
      for (const i of informers) i.stop();
      for (const f of feeds) f.close();
    },
  };
}
