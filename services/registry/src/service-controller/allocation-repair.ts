// Reconciles allocation keys with the Services that hold them, as kube's ClusterIP and
// NodePort repair controllers do. A key whose owner no longer holds its value is a leak (a
// registry died between allocating and storing, or a release failed); a value a Service
// holds without a key (stored before allocation existed, or lost) must be marked taken.
// Neither is acted on at first sight: a create in flight has its key before its Service,
// and a delete in flight loses its Service before its key. Only what one pass notes and the
// next still finds unchanged is fixed; passes are far apart compared with a request.
import type { Logger } from '@splitplane/kit';
import { collectionPrefix, type KubeObject } from '@splitplane/scheme';
import {
  type AllocationOwner,
  AllocationError,
  type EtcdAllocator,
} from '../allocators/etcd-allocator.js';
import { heldValues, type ServiceAllocator } from '../allocators/service-allocation.js';
import type { Store } from '../store/store.js';

type Pool = 'ip' | 'port';

export class AllocationRepair {
  /** "pool/value" -> what the previous pass saw: the leaked key's rv, or the keyless holder's uid. */
  private suspects = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly alloc: ServiceAllocator,
    private readonly log: Logger,
  ) {}

  /** One pass; returns how many keys it deleted and created. */
  async runOnce(): Promise<{ released: number; claimed: number }> {
    const def = this.store.scheme.resource('', 'v1', 'services');
    if (!def) return { released: 0, claimed: 0 };
    const { items } = await this.store.storage.list(collectionPrefix(def, ''));
    const holders: Record<Pool, Map<string | number, KubeObject>> = {
      ip: new Map(),
      port: new Map(),
    };
    for (const svc of items) {
      const held = heldValues(svc);
      for (const ip of held.ips) holders.ip.set(ip, svc);
      for (const port of held.ports) holders.port.set(port, svc);
    }
    const next = new Map<string, string>();
    let released = 0;
    let claimed = 0;
    const pools: Array<[Pool, EtcdAllocator<string> | EtcdAllocator<number>]> = [
      ['ip', this.alloc.ips],
      ['port', this.alloc.nodePorts],
    ];
    for (const [pool, allocator] of pools) {
      const keyed = new Set<string | number>();
      for (const entry of await allocator.list()) {
        keyed.add(entry.value);
        const holder = holders[pool].get(entry.value);
        if (holder && holder.metadata?.uid === entry.owner?.uid) continue;
        const id = `${pool}/${entry.value}`;
        if (this.suspects.get(id) === `rv:${entry.rv}`) {
          if (await (allocator as EtcdAllocator<string | number>).forget(entry.value, entry.rv)) {
            released++;
            this.log.warn(
              { pool, value: entry.value, owner: entry.owner },
              'service allocation repair: released a leaked value',
            );
          }
        } else next.set(id, `rv:${entry.rv}`);
      }
      for (const [value, svc] of holders[pool]) {
        if (keyed.has(value)) continue;
        const id = `${pool}/${value}`;
        const uid = svc.metadata?.uid ?? '';
        if (this.suspects.get(id) !== `uid:${uid}`) {
          next.set(id, `uid:${uid}`);
          continue;
        }
        const owner: AllocationOwner = {
          namespace: svc.metadata?.namespace ?? '',
          name: svc.metadata?.name ?? '',
          uid,
        };
        try {
          await (allocator as EtcdAllocator<string | number>).allocate(value, owner);
          claimed++;
        } catch (err) {
          if (!(err instanceof AllocationError)) throw err;
          this.log.warn(
            { pool, value, service: `${owner.namespace}/${owner.name}`, err: err.message },
            'service allocation repair: cannot mark a held value taken',
          );
        }
      }
    }
    this.suspects = next;
    return { released, claimed };
  }
}
