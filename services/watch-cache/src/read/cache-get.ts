// GET of one object from the cache's memory, once the cache is fresh enough for the
// request's resourceVersion (unset: consistent; "0": any; X: not older than X).
import { newNotFound } from '@splitplane/apimachinery';
import type { ObjectResponse } from '@splitplane/proto';
import { groupResourceOf, objectKey, type ResourceDefinition } from '@splitplane/scheme';
import type { CacheView } from '../cache/index.js';
import { awaitFresh, resourceCacheOf } from './freshness.js';
import { getConsistency } from './options.js';

export async function getFromCache(
  view: CacheView,
  def: ResourceDefinition,
  namespace: string,
  name: string,
  resourceVersion: string,
  deadline?: Date,
): Promise<ObjectResponse> {
  const consistency = getConsistency(resourceVersion);
  const gr = groupResourceOf(def);
  await awaitFresh({ view, gr, verb: 'get', deadline }, consistency);
  // Looked up after the wait: a relist meanwhile replaces every store.
  const found = resourceCacheOf(view, def).get(
    objectKey(def, def.namespaced ? namespace : '', name),
  );
  if (!found) throw newNotFound(gr, name);
  return { object: found.json, code: 200, warnings: [] };
}
