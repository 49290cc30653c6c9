// LIST from etcd with kube's paging: selectors are applied server-side, and `limit` counts
// matching objects, so a page may read several etcd ranges. The continue token then points
// just past the last object returned (kube's "key + \x00"), at the first page's revision.
import { newBadRequest } from '@splitplane/apimachinery';
import type { ListOptions, ListResponse } from '@splitplane/proto';
import {
  collectionPrefix,
  objectKey,
  type KubeObject,
  type ResourceDefinition,
} from '@splitplane/scheme';
import { encodeContinue, type EtcdStorage } from '@splitplane/storage';
import type { ObjectFilter } from './filter.js';

export interface ListScope {
  def: ResourceDefinition;
  namespace: string;
  options: ListOptions;
  filter: ObjectFilter;
  deadline?: Date;
}

export async function listObjects(storage: EtcdStorage, scope: ListScope): Promise<ListResponse> {
  const { def, namespace, options, filter } = scope;
  const prefix = collectionPrefix(def, namespace);
  const limit = Number(options.limit ?? 0);
  if (!Number.isSafeInteger(limit) || limit < 0)
    throw newBadRequest(`limit must be a non-negative integer`);
  const revision = exactRevision(options);

  const items: Buffer[] = [];
  let continueToken = options.continue || undefined;
  let listRevision: string | undefined;
  let nextContinue = '';
  let remaining: number | undefined;
  for (;;) {
    const page = await storage.list(prefix, {
      ...(limit ? { limit: limit - items.length } : {}),
      ...(continueToken ? { continue: continueToken } : {}),
      ...(revision && !continueToken ? { revision } : {}),
      ...(scope.deadline ? { deadline: scope.deadline } : {}),
    });
    listRevision ??= page.revision;
    let cutAt: KubeObject | undefined;
    for (const obj of page.items) {
      if (!filter.matches(obj)) continue;
      items.push(Buffer.from(JSON.stringify(obj)));
      if (limit && items.length === limit) {
        cutAt = obj;
        break;
      }
    }
    const lastOfPage = page.items[page.items.length - 1];
    if (cutAt && cutAt !== lastOfPage) {
      // Stopped inside the page: resume right after the last object we returned.
      const key = objectKey(def, cutAt.metadata?.namespace ?? '', cutAt.metadata?.name ?? '');
      nextContinue = encodeContinue(`${key}\x00`, prefix, listRevision);
      break;
    }
    if (!page.continue) break;
    if (limit && items.length === limit) {
      nextContinue = page.continue;
      if (filter.everything && page.remainingItemCount !== undefined)
        remaining = page.remainingItemCount;
      break;
    }
    continueToken = page.continue;
  }
  return {
    items,
    resourceVersion: listRevision ?? '',
    continue: nextContinue,
    ...(remaining !== undefined ? { remainingItemCount: String(remaining) } : {}),
    warnings: [],
  } as ListResponse;
}

/** With resourceVersionMatch=Exact, or a limit and a resourceVersion, the list is at that revision. */
function exactRevision(options: ListOptions): string | undefined {
  const rv = options.resourceVersion;
  if (!rv || rv === '0') return undefined;
  if (!/^\d+$/.test(rv))
    throw newBadRequest(`resourceVersion: Invalid value: "${rv}": must be an integer`);
  if (
    options.resourceVersionMatch === 'Exact' ||
    (options.limit && options.resourceVersionMatch !== 'NotOlderThan')
  ) {
    return rv;
  }
  return undefined;
}
