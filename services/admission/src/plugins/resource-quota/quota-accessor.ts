// Where admission reads quotas and writes their usage (kube's quotaAccessor): the shared
// informer, preferring this replica's own newer writes (kube's updatedQuotas look-aside
// cache, since the informer lags them), consistent live reads after a lost race, and the
// status compare-and-swap through the registry as system:apiserver.
import { internalUser, call } from '@splitplane/kit';
import { UpdateRequest, type RegistryClient } from '@splitplane/proto';
import type { InformerResource } from '@splitplane/informer';
import type { KubeObject } from '@splitplane/scheme';
import type { InformerHub } from '../../chain/plugin-deps.js';

export const RESOURCE_QUOTAS: InformerResource = {
  group: '',
  version: 'v1',
  resource: 'resourcequotas',
  kind: 'ResourceQuota',
  namespaced: true,
};

export interface QuotaAccessor {
  /** The namespace's quotas as this replica knows them. Treat them as read-only. */
  quotas(namespace: string): Promise<KubeObject[]>;
  /** A consistent read of one quota (after a lost race); undefined when it is gone. */
  live(namespace: string, name: string): Promise<KubeObject | undefined>;
  /**
   * Writes `quota`'s status if its metadata.resourceVersion is still current; returns the
   * stored quota. Rejects with the registry's StatusError (409 Conflict on a lost race).
   */
  updateStatus(quota: KubeObject, deadline: Date): Promise<KubeObject>;
  /** Whether the namespace has quotas, when that is known without waiting (fast path). */
  hasQuotas?(namespace: string): boolean | undefined;
}

const rvOf = (q: KubeObject): bigint => {
  try {
    return BigInt(q.metadata?.resourceVersion ?? '0');
  } catch {
    return 0n;
  }
};
const keyOf = (q: KubeObject) => `${q.metadata?.namespace ?? ''}/${q.metadata?.name ?? ''}`;

/** Keeps the newest copy of each quota this replica has written or read live. */
export class LookAsideCache {
  readonly #entries = new Map<string, KubeObject>();

  remember(quota: KubeObject): void {
    const key = keyOf(quota);
    const cur = this.#entries.get(key);
    if (!cur || rvOf(quota) > rvOf(cur)) this.#entries.set(key, quota);
  }

  /** `quota`, or the remembered copy when that is newer (an older one is dropped). */
  newest(quota: KubeObject): KubeObject {
    const key = keyOf(quota);
    const cur = this.#entries.get(key);
    if (!cur) return quota;
    if (rvOf(quota) >= rvOf(cur)) {
      this.#entries.delete(key);
      return quota;
    }
    return cur;
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The accessor admission uses in a running plane. */
export class HubQuotaAccessor implements QuotaAccessor {
  readonly #cache = new LookAsideCache();

  constructor(
    private readonly hub: InformerHub,
    private readonly registry: RegistryClient,
  ) {}

  async quotas(namespace: string): Promise<KubeObject[]> {
    const informer = this.hub.informer(RESOURCE_QUOTAS);
    // Until the informer has synced, ask the watch-cache (kube does a live lookup too).
    const items = informer.hasSynced
      ? informer.store.byIndex('namespace', namespace)
      : await this.hub.list(RESOURCE_QUOTAS, namespace);
    return items.map((q) => this.#cache.newest(q));
  }

  async live(namespace: string, name: string): Promise<KubeObject | undefined> {
    const quota = await this.hub.get(RESOURCE_QUOTAS, namespace, name);
    if (quota) this.#cache.remember(quota);
    return quota;
  }

  hasQuotas(namespace: string): boolean | undefined {
    const informer = this.hub.informer(RESOURCE_QUOTAS);
    return informer.hasSynced
      ? informer.store.byIndex('namespace', namespace).length > 0
      : undefined;
  }

  async updateStatus(quota: KubeObject, deadline: Date): Promise<KubeObject> {
    const stored = await writeQuotaStatus(this.registry, quota, deadline);
    this.#cache.remember(stored);
    return stored;
  }
}

/**
 * PUT resourcequotas/<name>/status through the registry as system:apiserver; the quota's
 * metadata.resourceVersion makes it a compare-and-swap (409 Conflict when stale).
 */
export async function writeQuotaStatus(
  registry: RegistryClient,
  quota: KubeObject,
  deadline: Date,
): Promise<KubeObject> {
  const response = await call(
    registry,
    registry.update,
    UpdateRequest.fromPartial({
      attributes: {
        user: internalUser(),
        resource: { group: '', version: 'v1', resource: 'resourcequotas' },
        namespace: quota.metadata?.namespace ?? '',
        name: quota.metadata?.name ?? '',
        subresource: 'status',
      },
      object: Buffer.from(JSON.stringify(quota)),
    }),
    { deadline },
    'registry',
  );
  return JSON.parse(response.object.toString('utf8')) as KubeObject;
}
