// Empties namespaces being deleted, then lets them go (kube's namespace controller).
// One replica works at a time (etcd-lease leader election). It finds work by polling the
// namespaces every `intervalMs` (a cheap range read; no watch to keep alive or cancel).
// Pods are deleted with grace 0: there is no kubelet to finish a graceful termination.
// A namespace is finalized only once it has been seen terminating for a moment: a create
// that an admission replica let in from a namespace cache that had not yet seen the delete
// (kube's NamespaceLifecycle has the same window) is then found by a later pass and deleted.
import { performance } from 'node:perf_hooks';
import { StatusError } from '@splitplane/apimachinery';
import type { Logger } from '@splitplane/kit';
import { collectionPrefix, type KubeObject, type ResourceDefinition } from '@splitplane/scheme';
import { DELETE, KeyNotFoundError } from '@splitplane/storage';
import { LeaderLoop } from '../controllers/leader-loop.js';
import { deleteOne } from '../store/delete.js';
import type { Store } from '../store/store.js';
import { systemAttributes } from './system-namespaces.js';

/** The identity kube's namespace controller acts as. */
const NAMESPACE_CONTROLLER_USER = {
  username: 'system:serviceaccount:kube-system:namespace-controller',
  uid: '',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
  extra: {},
};

export const NAMESPACE_FINALIZER = 'kubernetes';

/** How long admission's namespace caches may lag a namespace turning Terminating. */
const NAMESPACE_CACHE_LAG_MS = 1_000;

export interface NamespaceControllerOptions {
  identity: string;
  intervalMs?: number;
  leaseTtlSeconds?: number;
}

export class NamespaceController {
  private readonly loop: LeaderLoop;
  /** Namespace name -> when this leader first saw it terminating (performance.now()). */
  private readonly terminatingSince = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    opts: NamespaceControllerOptions,
  ) {
    this.loop = new LeaderLoop(
      store.storage.client,
      log,
      {
        name: 'namespace-controller',
        identity: opts.identity,
        intervalMs: opts.intervalMs ?? 1_000,
        ...(opts.leaseTtlSeconds ? { leaseTtlSeconds: opts.leaseTtlSeconds } : {}),
      },
      (signal) => this.syncAll(signal),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass over every namespace that is being deleted. */
  async syncAll(signal?: AbortSignal): Promise<void> {
    const nsDef = this.nsDef();
    const { items } = await this.store.storage.list(collectionPrefix(nsDef, ''), {
      predicate: (ns) => !!ns.metadata?.deletionTimestamp,
    });
    const names = new Set(items.map((ns) => ns.metadata!.name!));
    for (const name of this.terminatingSince.keys())
      if (!names.has(name)) this.terminatingSince.delete(name);
    for (const name of names) {
      if (signal?.aborted) return;
      if (!this.terminatingSince.has(name)) this.terminatingSince.set(name, performance.now());
      await this.syncNamespace(name);
    }
  }

  private nsDef(): ResourceDefinition {
    const def = this.store.scheme.resource('', 'v1', 'namespaces');
    if (!def) throw new Error('namespaces are not in the scheme');
    return def;
  }

  private async syncNamespace(namespace: string): Promise<void> {
    let remaining = 0;
    for (const def of this.store.scheme.all()) {
      if (!def.namespaced || !def.verbs.includes('delete')) continue;
      const { items } = await this.store.storage.list(collectionPrefix(def, namespace));
      for (const item of items) {
        remaining++;
        if (
          item.metadata?.deletionTimestamp &&
          (item.metadata.deletionGracePeriodSeconds ?? 0) === 0
        )
          continue;
        await this.deleteItem(def, namespace, item);
      }
    }
    if (remaining > 0) {
      // Re-check next pass: objects with finalizers go when their owners remove them.
      const still = await this.countContents(namespace);
      if (still > 0) return;
    }
    // Re-list on a later pass while another replica may still admit creates from its cache.
    const since = this.terminatingSince.get(namespace) ?? performance.now();
    if (performance.now() - since <= NAMESPACE_CACHE_LAG_MS) return;
    await this.finalize(namespace);
    this.terminatingSince.delete(namespace);
  }

  private async countContents(namespace: string): Promise<number> {
    let n = 0;
    for (const def of this.store.scheme.all()) {
      if (!def.namespaced) continue;
      n += (await this.store.storage.list(collectionPrefix(def, namespace), { limit: 1 })).items
        .length;
    }
    return n;
  }

  private async deleteItem(
    def: ResourceDefinition,
    namespace: string,
    item: KubeObject,
  ): Promise<void> {
    const name = item.metadata?.name ?? '';
    const gvr = { group: def.group, version: def.version, resource: def.plural };
    const ctx = this.store.context(
      systemAttributes(gvr, namespace, name, NAMESPACE_CONTROLLER_USER),
    );
    try {
      await deleteOne(this.store, ctx, name, { gracePeriodSeconds: 0 });
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return;
      this.log.warn(
        { err, resource: def.plural, namespace, name },
        'namespace controller: delete failed',
      );
    }
  }

  /** Drops the "kubernetes" finalizer; with no finalizers left the namespace is deleted. */
  private async finalize(namespace: string): Promise<void> {
    const key = this.store.key(this.nsDef(), '', namespace);
    try {
      const res = await this.store.storage.guaranteedUpdate(key, (current) => {
        const ns = structuredClone(current!);
        const spec = (ns.spec ?? {}) as { finalizers?: string[] };
        spec.finalizers = (spec.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER);
        if (spec.finalizers.length === 0) delete spec.finalizers;
        ns.spec = spec;
        if ((spec.finalizers ?? []).length === 0 && (ns.metadata?.finalizers ?? []).length === 0)
          return DELETE;
        return ns;
      });
      if (res.deleted) this.log.info({ namespace }, 'namespace controller: namespace deleted');
    } catch (err) {
      if (err instanceof KeyNotFoundError) return;
      throw err;
    }
  }
}
