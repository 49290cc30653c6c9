// Allocates values of a range (service IPs, node ports) in etcd, unique across every
// registry replica and durable across restarts.
//
// Design: one key per allocated value, e.g. /registry/splitplane/serviceips/10.96.4.7, taken
// with a create-only txn (compare create_revision == 0) and released with a CAS delete.
// kube-apiserver keeps a bitmap of the whole range in one key updated by compare-and-swap;
// that serializes every allocation in the cluster on one key, so with several registry
// replicas creating Services at once most CAS attempts would lose and retry. Per-value keys
// never contend unless two writers want the same value, a collision costs one failed txn,
// and etcd's create-only compare makes uniqueness linearizable. Each key records its owner
// (namespace, name, uid) so that a release never frees a value someone else holds and a
// repair pass can tell leaks from live allocations.
//
// Dynamic choice is random with retry on collision. As kube does since 1.27 (KEP-3070), a
// low band of the range is kept for static requests and dynamic allocation only falls back
// to it once the upper band is full. When random probes keep colliding the allocator lists
// the taken values (keys only) and picks among the free ones, so a nearly full range is
// still filled and a full one is reported as "range is full".
import type { KubeObject } from '@splitplane/scheme';
import { type EtcdStorage, KeyExistsError, KeyNotFoundError } from '@splitplane/storage';
import type { AllocationRange } from './ranges.js';

export interface AllocationOwner {
  namespace: string;
  name: string;
  uid: string;
}

export interface AllocateOptions {
  /** Check availability only; write nothing. */
  dryRun?: boolean;
  deadline?: Date;
}

/** A failure with kube's allocator wording (ipallocator / portallocator errors). */
export class AllocationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AllocationError';
  }
}
export class RangeFullError extends AllocationError {
  constructor() {
    super('range is full');
    this.name = 'RangeFullError';
  }
}
export class AlreadyAllocatedError extends AllocationError {
  constructor(noun: string) {
    super(`provided ${noun} is already allocated`);
    this.name = 'AlreadyAllocatedError';
  }
}
export class NotInRangeError extends AllocationError {
  constructor(message: string) {
    super(message);
    this.name = 'NotInRangeError';
  }
}

class NotOwnedError extends Error {}

export interface EtcdAllocatorOptions<T> {
  /** Key prefix ending in "/", under /registry/ so the watch-cache sees every revision move. */
  prefix: string;
  range: AllocationRange<T>;
  /** The kind recorded in each key's value. */
  kind: string;
  /** "IP" or "port", for kube's messages. */
  noun: string;
  notInRange(value: T): string;
  /** Offsets never handed out dynamically (they may still be requested). */
  reserved?: number[];
  /** Size of the low band kept for static requests (KEP-3070); 0 for none. */
  staticBand?: number;
}

const RANDOM_PROBES = 8;
const SCAN_ATTEMPTS = 64;

export class EtcdAllocator<T extends string | number> {
  readonly range: AllocationRange<T>;
  private readonly reserved: Set<number>;
  private readonly band: number;

  constructor(
    private readonly storage: EtcdStorage,
    private readonly opts: EtcdAllocatorOptions<T>,
  ) {
    this.range = opts.range;
    this.reserved = new Set(opts.reserved ?? []);
    this.band = Math.min(opts.staticBand ?? 0, this.range.size);
  }

  key(value: T): string {
    return `${this.opts.prefix}${value}`;
  }

  /** Takes a specific value for `owner`. */
  async allocate(value: T, owner: AllocationOwner, opts: AllocateOptions = {}): Promise<void> {
    const offset = this.range.offsetOf(value);
    if (offset === undefined) throw new NotInRangeError(this.opts.notInRange(value));
    if (!(await this.take(offset, owner, opts))) throw new AlreadyAllocatedError(this.opts.noun);
  }

  /** Takes some free value for `owner`, randomly chosen, preferring the upper band. */
  async allocateNext(owner: AllocationOwner, opts: AllocateOptions = {}): Promise<T> {
    const upper = this.range.size - this.band;
    for (let i = 0; i < RANDOM_PROBES && upper > 0; i++) {
      const offset = this.band + Math.floor(Math.random() * upper);
      if (this.reserved.has(offset)) continue;
      if (await this.take(offset, owner, opts)) return this.range.valueAt(offset);
    }
    for (let i = 0; i < SCAN_ATTEMPTS; i++) {
      const taken = new Set((await this.allocatedOffsets()).concat([...this.reserved]));
      const pick =
        this.pickFree(taken, this.band, this.range.size) ?? this.pickFree(taken, 0, this.band);
      if (pick === undefined) throw new RangeFullError();
      if (await this.take(pick, owner, opts)) return this.range.valueAt(pick);
    }
    // Only reachable when other writers win every race for the last free values.
    throw new RangeFullError();
  }

  /** Frees `value` if `owner` holds it; false when it was not held by them. */
  async release(value: T, owner: AllocationOwner, opts: AllocateOptions = {}): Promise<boolean> {
    if (opts.dryRun) return false;
    try {
      await this.storage.delete(this.key(value), {
        validateDeletion: (current) => {
          const o = (current as { owner?: AllocationOwner }).owner;
          if (o?.uid !== owner.uid || o?.name !== owner.name || o?.namespace !== owner.namespace)
            throw new NotOwnedError();
        },
        ...(opts.deadline ? { deadline: opts.deadline } : {}),
      });
      return true;
    } catch (err) {
      if (err instanceof KeyNotFoundError || err instanceof NotOwnedError) return false;
      throw err;
    }
  }

  /** Every allocated value with its owner and the key's mod revision (the repair pass reads this). */
  async list(): Promise<Array<{ value: T; owner: AllocationOwner | undefined; rv: string }>> {
    const { items } = await this.storage.list(this.opts.prefix);
    const out: Array<{ value: T; owner: AllocationOwner | undefined; rv: string }> = [];
    for (const item of items) {
      const offset = this.parseOffset(item.metadata?.name ?? '');
      if (offset === undefined) continue;
      out.push({
        value: this.range.valueAt(offset),
        owner: (item as { owner?: AllocationOwner }).owner,
        rv: item.metadata?.resourceVersion ?? '',
      });
    }
    return out;
  }

  /** Deletes the key of `value` if it is unchanged since revision `rv` (repair of leaks). */
  async forget(value: T, rv: string): Promise<boolean> {
    try {
      await this.storage.delete(this.key(value), { preconditions: { resourceVersion: rv } });
      return true;
    } catch {
      return false;
    }
  }

  private async take(
    offset: number,
    owner: AllocationOwner,
    opts: AllocateOptions,
  ): Promise<boolean> {
    const value = this.range.valueAt(offset);
    const key = this.key(value);
    const scope = opts.deadline ? { deadline: opts.deadline } : {};
    if (opts.dryRun) return (await this.storage.get(key, scope)) === undefined;
    const record: KubeObject = {
      apiVersion: 'splitplane.io/v1',
      kind: this.opts.kind,
      metadata: { name: String(value) },
      owner,
    };
    try {
      await this.storage.create(key, record, scope);
      return true;
    } catch (err) {
      if (err instanceof KeyExistsError) return false;
      throw err;
    }
  }

  private async allocatedOffsets(): Promise<number[]> {
    const keys = await this.storage.client.getAll().prefix(this.opts.prefix).keys();
    const out: number[] = [];
    for (const k of keys) {
      const off = this.parseOffset(k.slice(this.opts.prefix.length));
      if (off !== undefined) out.push(off);
    }
    return out;
  }

  private parseOffset(text: string): number | undefined {
    const value = (typeof this.range.valueAt(0) === 'number' ? Number(text) : text) as T;
    return this.range.offsetOf(value);
  }

  private pickFree(taken: Set<number>, from: number, to: number): number | undefined {
    const free: number[] = [];
    for (let o = from; o < to; o++) if (!taken.has(o)) free.push(o);
    return free.length ? free[Math.floor(Math.random() * free.length)] : undefined;
  }
}
