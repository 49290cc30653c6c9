// The seam between the cache (fed by the one etcd watch of this replica) and the read
// path (GET/LIST with kube's resourceVersion semantics). See DESIGN §4 and issue #3.
import type { FieldSet } from '@splitplane/apimachinery';
import type { ResourceDefinition } from '@splitplane/scheme';
import type { WindowSet } from '../window/index.js';

/** One object as the cache holds it: ready-to-serve bytes plus what selectors need. */
export interface CachedObject {
  /** etcd key, e.g. /registry/pods/default/web-1 */
  readonly key: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
  /** etcd mod revision. */
  readonly rv: bigint;
  /** The object's JSON with metadata.resourceVersion set, exactly what GET returns. */
  readonly json: Buffer;
  readonly labels: Readonly<Record<string, string>>;
  /** The resource's field-selector attributes (fieldAttributes of apimachinery). */
  readonly fields: FieldSet;
}

/** The current objects of one resource. */
export interface ResourceCache {
  /** resourceKey(group, resource) of window/. */
  readonly resource: string;
  readonly def: ResourceDefinition;
  get(key: string): CachedObject | undefined;
  /**
   * Objects in etcd key order; with a namespace, only that namespace's (namespace index).
   * The returned array is never changed afterwards: it is a snapshot at the cache's rv of
   * the moment (read it synchronously with `rv` to know which).
   */
  list(namespace?: string): readonly CachedObject[];
  readonly size: number;
}

/** What the read path and the Events RPC see of a replica's cache. */
export interface CacheView {
  /** Every resource's history and objects are complete through this revision. */
  readonly rv: bigint;
  /** True once the initial list has loaded and the etcd watch runs. */
  readonly ready: boolean;
  /**
   * Bumped on every relist (after compaction or lost history): snapshots, continue tokens
   * and windows from an older generation are gone.
   */
  readonly generation: number;
  /**
   * The objects of def's resource (every version of it shares one store). Throws
   * ResourceNotCachedError for a resource added to the scheme after the last list.
   */
  resource(def: ResourceDefinition): ResourceCache;
  /** Event history per resource (events carry key, object and prevObject JSON). */
  readonly windows: WindowSet;
  /**
   * Resolves true once rv >= target, false at the deadline or on abort. Nudges etcd for a
   * progress notification when that is safe (etcd-io/etcd#15220).
   */
  waitUntil(target: bigint, deadline: number, signal?: AbortSignal): Promise<boolean>;
  /** etcd's current revision, by a quorum read: the target of a consistent read. */
  currentRevision(deadline: number): Promise<bigint>;
}
