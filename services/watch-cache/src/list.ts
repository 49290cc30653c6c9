// LIST with kube's paging. Storage applies the selectors as it pages, so `limit` counts
// matching objects and the continue token resumes right after the last one returned, at
// the first page's revision. Items travel as the JSON storage produced, never re-serialised.
import { newBadRequest } from '@splitplane/apimachinery';
import type { ListOptions, ListResponse } from '@splitplane/proto';
import { collectionPrefix, type ResourceDefinition } from '@splitplane/scheme';
import type { EtcdStorage } from '@splitplane/storage';
import type { ObjectFilter } from '@splitplane/apimachinery';

export interface ListScope {
  def: ResourceDefinition;
  namespace: string;
  options: ListOptions;
  filter: ObjectFilter;
  deadline?: Date;
}

export async function listObjects(storage: EtcdStorage, scope: ListScope): Promise<ListResponse> {
  const { options, filter } = scope;
  const limit = Number(options.limit || 0);
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw newBadRequest('limit must be a non-negative integer');
  }
  const revision = exactRevision(options);
  const page = await storage.listRaw(collectionPrefix(scope.def, scope.namespace), {
    ...(limit ? { limit } : {}),
    ...(options.continue ? { continue: options.continue } : {}),
    ...(revision ? { revision } : {}),
    ...(filter.everything ? {} : { predicate: (obj) => filter.matches(obj) }),
    ...(scope.deadline ? { deadline: scope.deadline } : {}),
  });
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

/** With resourceVersionMatch=Exact, or a limit and a resourceVersion, the list is at that revision. */
function exactRevision(options: ListOptions): string | undefined {
  const rv = options.resourceVersion;
  if (!rv || rv === '0') return undefined;
  if (!/^\d+$/.test(rv)) {
    throw newBadRequest(`resourceVersion: Invalid value: "${rv}": must be an integer`);
  }
  if (
    options.resourceVersionMatch === 'Exact' ||
    (options.limit && options.limit !== '0' && options.resourceVersionMatch !== 'NotOlderThan')
  ) {
    return rv;
  }
  return undefined;
}
