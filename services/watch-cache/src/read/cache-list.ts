// LIST from the cache's memory at one snapshot revision, paged with kube's continue tokens.
// Items are the cached JSON Buffers as they are; `limit` counts matching objects.
import type { ObjectFilter } from '@splitplane/apimachinery';
import type { ListOptions, ListResponse } from '@splitplane/proto';
import {
  collectionPrefix,
  groupResourceOf,
  objectKey,
  type ResourceDefinition,
} from '@splitplane/scheme';
import { encodeContinue } from '@splitplane/storage';
import { lowerBound, type CachedObject, type CacheView } from '../cache/index.js';
import { continueExpired } from './errors.js';
import { awaitFresh, resourceCacheOf } from './freshness.js';
import { listPlan } from './options.js';
import { snapshotAt } from './snapshot.js';

export interface CacheListScope {
  view: CacheView;
  def: ResourceDefinition;
  namespace: string;
  options: ListOptions;
  filter: ObjectFilter;
  deadline?: Date | undefined;
}

export async function listFromCache(scope: CacheListScope): Promise<ListResponse> {
  const { view, def, filter } = scope;
  const namespace = def.namespaced ? scope.namespace : '';
  const prefix = collectionPrefix(def, namespace);
  const plan = listPlan(scope.options, prefix);
  const revision = await awaitFresh(
    { view, gr: groupResourceOf(def), verb: 'list', deadline: scope.deadline },
    plan.consistency,
  );

  // From here on everything is synchronous: one snapshot of the cache. The store is looked
  // up only now, as a relist during the wait replaces every store.
  const cache = resourceCacheOf(view, def);
  let objects: readonly CachedObject[];
  try {
    objects = snapshotAt(view, cache, prefix, namespace, revision);
  } catch (err) {
    // A continue token whose revision left the window: kube's 410 with a token that
    // resumes at the same key against the latest state.
    if (plan.startKey !== undefined && (err as { code?: number }).code === 410)
      throw continueExpired(encodeContinue(plan.startKey, prefix, '-1'));
    throw err;
  }

  let start = plan.startKey !== undefined ? lowerBound(objects, plan.startKey) : 0;
  let end = objects.length;
  // metadata.name=x within one namespace (or cluster-scoped) is a single key.
  if (filter.name !== undefined && (namespace || !def.namespaced)) {
    const i = lowerBound(objects, objectKey(def, namespace, filter.name));
    const hit = i < objects.length && objects[i]!.key === objectKey(def, namespace, filter.name);
    start = Math.max(start, i);
    end = hit ? Math.min(end, i + 1) : start;
  }

  const items: Buffer[] = [];
  const limit = plan.limit;
  let next = '';
  let remaining: number | undefined;
  for (let i = start; i < end; i++) {
    const obj = objects[i]!;
    if (!filter.everything && !filter.matchesSets(obj.labels, obj.fields)) continue;
    items.push(obj.json);
    if (limit && items.length >= limit) {
      if (i + 1 < end) {
        next = encodeContinue(obj.key + '\u0000', prefix, revision.toString());
        // Exact only without selectors, as kube reports it.
        if (filter.everything) remaining = end - (i + 1);
      }
      break;
    }
  }
  return {
    items,
    resourceVersion: revision.toString(),
    continue: next,
    ...(remaining !== undefined ? { remainingItemCount: String(remaining) } : {}),
    warnings: [],
  };
}
