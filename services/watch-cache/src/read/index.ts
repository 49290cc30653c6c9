// GET and LIST for the WatchCache service. Without a cache (--watch-cache=false, as in
// kube-apiserver) reads go straight to etcd.
// TODO(#3): serve from the CacheView with kube's resourceVersion semantics.
import type { GetRequest, ListRequest, ListResponse, ObjectResponse } from '@splitplane/proto';
import { filterFor } from '@splitplane/apimachinery';
import type { Scheme } from '@splitplane/scheme';
import type { EtcdStorage } from '@splitplane/storage';
import type { CacheView } from '../cache/index.js';
import { getObject } from '../get.js';
import { listObjects } from '../list.js';
import { resolveResource } from '../resolve.js';

export interface ReadService {
  get(request: GetRequest, deadline: Date | undefined): Promise<ObjectResponse>;
  list(request: ListRequest, deadline: Date | undefined): Promise<ListResponse>;
}

export interface ReadServiceOptions {
  scheme: Scheme;
  storage: EtcdStorage;
  /** Absent: every read goes to etcd. */
  cache?: CacheView;
}

export function createReadService({ scheme, storage }: ReadServiceOptions): ReadService {
  return {
    get: async (request, deadline) => {
      const attributes = request.attributes;
      const def = resolveResource(scheme, attributes?.resource);
      return getObject(storage, def, attributes?.namespace ?? '', attributes?.name ?? '', deadline);
    },
    list: async (request, deadline) => {
      const attributes = request.attributes;
      const def = resolveResource(scheme, attributes?.resource);
      const options = request.options ?? ({} as NonNullable<ListRequest['options']>);
      return listObjects(storage, {
        def,
        namespace: attributes?.namespace ?? '',
        options,
        filter: filterFor(def, options.labelSelector ?? '', options.fieldSelector ?? ''),
        ...(deadline ? { deadline } : {}),
      });
    },
  };
}
