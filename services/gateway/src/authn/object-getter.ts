// Reads the objects a ServiceAccount token is bound to (the ServiceAccount, a Pod or a
// Secret) from the watch-cache's Get, behind a short cache so a busy token costs one read a
// second rather than one a request. A deleted object is seen within the TTL.
import type { ObjectResponse, UserInfo, WatchCacheClient } from '@splitplane/proto';
import { StatusError } from '@splitplane/apimachinery';
import { unaryCall } from '../backends/unary.js';

export interface ObjectRef {
  resource: 'serviceaccounts' | 'pods' | 'secrets';
  namespace: string;
  name: string;
}

export interface ObjectGetter {
  /** The object as JSON, or null when it does not exist; `fresh` skips the cache. */
  get(ref: ObjectRef, fresh?: boolean): Promise<Record<string, any> | null>;
}

/** The gateway's own identity on these internal reads (kube's loopback user). */
const INTERNAL_USER: UserInfo = {
  username: 'system:apiserver',
  uid: '',
  groups: ['system:masters', 'system:authenticated'],
  extra: {},
};

export class WatchCacheObjectGetter implements ObjectGetter {
  private readonly cache = new Map<
    string,
    { at: number; value: Promise<Record<string, any> | null> }
  >();

  constructor(
    private readonly client: WatchCacheClient,
    private readonly ttlMs = 1000,
    private readonly timeoutMs = 10_000,
  ) {}

  get(ref: ObjectRef, fresh = false): Promise<Record<string, any> | null> {
    if (fresh) return this.read(ref);
    const key = `${ref.resource}/${ref.namespace}/${ref.name}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = this.read(ref);
    this.cache.set(key, { at: now, value });
    // Failures are not cached; the next request asks again.
    value.catch(() => this.cache.delete(key));
    if (this.cache.size > 10_000) this.prune(now);
    return value;
  }

  private async read(ref: ObjectRef): Promise<Record<string, any> | null> {
    try {
      const response = await unaryCall<unknown, ObjectResponse>(
        this.client,
        this.client.get as never,
        {
          attributes: {
            user: INTERNAL_USER,
            resource: { group: '', version: 'v1', resource: ref.resource },
            namespace: ref.namespace,
            name: ref.name,
            subresource: '',
            dryRun: false,
            fieldManager: '',
            fieldValidation: '',
            auditId: '',
          },
          resourceVersion: '',
        },
        { deadline: new Date(Date.now() + this.timeoutMs) },
        'watch-cache',
      );
      return JSON.parse(Buffer.from(response.object).toString('utf8')) as Record<string, any>;
    } catch (err) {
      if (err instanceof StatusError && err.status.code === 404) return null;
      throw err;
    }
  }

  private prune(now: number): void {
    for (const [k, v] of this.cache) if (now - v.at >= this.ttlMs) this.cache.delete(k);
  }
}
