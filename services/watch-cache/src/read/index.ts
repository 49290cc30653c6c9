// GET and LIST for the WatchCache service. With a cache every read is answered from its
// memory with kube's resourceVersion semantics (never from etcd, even on timeout); without
// one (--watch-cache=false, as in kube-apiserver) reads go straight to etcd.
import type { GetRequest, ListRequest, ListResponse, ObjectResponse } from '@splitplane/proto';
import { filterFor } from '@splitplane/apimachinery';
import type { Scheme } from '@splitplane/scheme';
import type { EtcdStorage } from '@splitplane/storage';
import type { CacheView } from '../cache/index.js';
import { resolveResource } from '../resolve.js';
import { getFromCache } from './cache-get.js';
import { listFromCache } from './cache-list.js';
import { getObject } from './etcd-get.js';
import { listObjects } from './etcd-list.js';
import { getConsistency } from './options.js';

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

export function createReadService({ scheme, storage, cache }: ReadServiceOptions): ReadService {
  return {
    get: async (request, deadline) => {
      const attributes = request.attributes;
      const def = resolveResource(scheme, attributes?.resource);
      const namespace = attributes?.namespace ?? '';
      const name = attributes?.name ?? '';
      const resourceVersion = request.resourceVersion ?? '';
      if (cache) return getFromCache(cache, def, namespace, name, resourceVersion, deadline);
      getConsistency(resourceVersion); // same 400 for a malformed resourceVersion
      return getObject(storage, def, namespace, name, deadline);
    },
    list: async (request, deadline) => {
      const attributes = request.attributes;
      const def = resolveResource(scheme, attributes?.resource);
      const options = request.options ?? EMPTY_OPTIONS;
      const scope = {
        def,
        namespace: attributes?.namespace ?? '',
        options,
        filter: filterFor(def, options.labelSelector ?? '', options.fieldSelector ?? ''),
      };
      if (cache) return listFromCache({ ...scope, view: cache, deadline });
      return listObjects(storage, { ...scope, ...(deadline ? { deadline } : {}) });
    },
  };
}

const EMPTY_OPTIONS: ListRequest['options'] & object = {
  labelSelector: '',
  fieldSelector: '',
  resourceVersion: '',
  resourceVersionMatch: '',
  limit: '0',
  continue: '',
  allowWatchBookmarks: false,
  timeoutSeconds: '0',
};

export {
  RESOURCE_VERSION_TOO_LARGE,
  CONTINUE_EXPIRED_MESSAGE,
  tooLargeResourceVersion,
  tooOldResourceVersion,
  continueExpired,
} from './errors.js';
export {
  type Consistency,
  type ListPlan,
  listPlan,
  getConsistency,
  parseResourceVersion,
} from './options.js';
