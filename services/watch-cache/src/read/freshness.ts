// How fresh the cache must be before a read is answered, and the waits that get it there.
// Never falls back to etcd: a cache that cannot catch up answers kube's "Too large resource
// version" 504 (Retry-After 1), which client-go retries.
import {
  StatusError,
  newServerTimeout,
  newTooManyRequests,
  type GroupResource,
} from '@splitplane/apimachinery';
import type { ResourceDefinition } from '@splitplane/scheme';
import { ResourceNotCachedError, type CacheView, type ResourceCache } from '../cache/index.js';
import { FRESHNESS_WAIT_MS, tooLargeResourceVersion } from './errors.js';
import type { Consistency } from './options.js';

/** Without a gRPC deadline a read still gives up on an unready cache after this long. */
const DEFAULT_READY_WAIT_MS = 60_000;
const READY_POLL_MS = 20;

export interface ReadScope {
  readonly view: CacheView;
  readonly gr: GroupResource;
  /** "get" or "list", for kube's ServerTimeout wording. */
  readonly verb: string;
  readonly deadline: Date | undefined;
}

/**
 * Waits until the cache may answer `consistency`; resolves to the revision the answer is
 * at: the cache's revision, or rv itself for an exact read. The caller must take its
 * snapshot synchronously after this resolves (for non-exact reads the cache may move on).
 */
export async function awaitFresh(scope: ReadScope, consistency: Consistency): Promise<bigint> {
  await awaitReady(scope);
  const { view } = scope;
  switch (consistency.kind) {
    case 'any':
      return view.rv;
    case 'consistent': {
      const target = await currentRevision(scope);
      await reach(scope, target);
      return view.rv;
    }
    case 'not-older-than':
      await reach(scope, consistency.rv);
      return view.rv;
    case 'exact':
      await reach(scope, consistency.rv);
      return consistency.rv;
  }
}

async function reach({ view, deadline }: ReadScope, target: bigint): Promise<void> {
  if (view.rv >= target) return;
  const until = Math.min(Date.now() + FRESHNESS_WAIT_MS, deadline ? deadline.getTime() : Infinity);
  if (!(await view.waitUntil(target, until)) && view.rv < target)
    throw tooLargeResourceVersion(target, view.rv);
}

/** etcd's revision by a quorum read; an unreachable etcd is kube's ServerTimeout, not a 500. */
async function currentRevision({ view, gr, verb, deadline }: ReadScope): Promise<bigint> {
  const until = deadline ? deadline.getTime() : Date.now() + FRESHNESS_WAIT_MS;
  try {
    return await view.currentRevision(until);
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw new StatusError(newServerTimeout(gr, verb, 2).status, { cause: err });
  }
}

/** Like kube's cacher, reads block while the cache (re)initializes, until the deadline. */
async function awaitReady({ view, deadline }: ReadScope): Promise<void> {
  if (view.ready) return;
  const until = deadline ? deadline.getTime() : Date.now() + DEFAULT_READY_WAIT_MS;
  while (!view.ready) {
    const left = until - Date.now();
    if (left <= 0) throw newTooManyRequests('storage is (re)initializing', 1);
    await new Promise((resolve) => setTimeout(resolve, Math.min(READY_POLL_MS, left)));
  }
}

/**
 * The cache's store of a resource. One the cache does not hold yet (a CRD added after its
 * last list) answers as kube's cacher does while it initializes: 429 with Retry-After.
 */
export function resourceCacheOf(view: CacheView, def: ResourceDefinition): ResourceCache {
  try {
    return view.resource(def);
  } catch (err) {
    if (err instanceof ResourceNotCachedError)
      throw new StatusError(newTooManyRequests('storage is (re)initializing', 1).status, {
        cause: err,
      });
    throw err;
  }
}
