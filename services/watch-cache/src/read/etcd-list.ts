// LIST straight from etcd (--watch-cache=false), with kube's paging. Storage applies the
// selectors as it pages, so `limit` counts matching objects and the continue token resumes
// right after the last one returned, at the first page's revision. Items travel as the JSON
// storage produced, never re-serialised. Options are validated as the cache path does.
import type { ListOptions, ListResponse } from '@splitplane/proto';
import { collectionPrefix, type ResourceDefinition } from '@splitplane/scheme';
import type { EtcdStorage } from '@splitplane/storage';
import type { ObjectFilter } from '@splitplane/apimachinery';
import { tooLargeResourceVersion } from './errors.js';
import { listPlan, parseLimit } from './options.js';

export interface ListScope {
  def: ResourceDefinition;
  namespace: string;
  options: ListOptions;
  filter: ObjectFilter;
  deadline?: Date;
}

export async function listObjects(storage: EtcdStorage, scope: ListScope): Promise<ListResponse> {
  const { options, filter } = scope;
  const prefix = collectionPrefix(scope.def, scope.namespace);
  // Validates match, resourceVersion, limit and the continue token (400/422 as kube).
  const plan = listPlan(options, prefix);
  // etcd pages whatever the resourceVersion (kube's store does; only its cache ignores limit).
  const limit = parseLimit(options.limit);
  const revision =
    plan.consistency.kind === 'exact' && !options.continue
      ? plan.consistency.rv.toString()
      : undefined;
  const page = await storage.listRaw(prefix, {
    ...(limit ? { limit } : {}),
    ...(options.continue ? { continue: options.continue } : {}),
    ...(revision ? { revision } : {}),
    ...(filter.everything ? {} : { predicate: (obj) => filter.matches(obj) }),
    ...(scope.deadline ? { deadline: scope.deadline } : {}),
  });
  // etcd answers at its current revision; older than a NotOlderThan bound is kube's
  // store's "Too large resource version" (it does not wait, so no Retry-After).
  const consistency = plan.consistency;
  if (
    !options.continue &&
    consistency.kind === 'not-older-than' &&
    consistency.rv > BigInt(page.revision)
  )
    throw tooLargeResourceVersion(consistency.rv, BigInt(page.revision), 0);
  return {
    items: page.items,
    resourceVersion: page.revision,
    continue: page.continue ?? '',
    ...(page.remainingItemCount !== undefined
      ? { remainingItemCount: String(page.remainingItemCount) }
      : {}),
    warnings: [],
  };
}
