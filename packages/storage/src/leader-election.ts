// Leader election on an etcd lease: the leader holds a key under /registry/splitplane/leases/
// bound to its lease; when the leader dies its lease expires and the key goes with it.
// Our own small loop rather than etcd3's Election, which relies on watchers (and etcd3's
// close() hangs while watchers live).
import type { Etcd3, Lease } from 'etcd3';
import { leaderElectionKey } from './keys.js';

export interface LeaderElectionOptions {
  /** Lock name; the key is /registry/splitplane/leases/<name>. */
  name: string;
  /** Who we are (host:pid), stored as the key's value. */
  identity: string;
  /** Lease TTL: how long a dead leader keeps the lock. Default 15 s. */
  ttlSeconds?: number;
  /** How often to try for (or re-check) leadership. Default 2 s. */
  retryMs?: number;
  /** Called on gaining leadership; the signal aborts when leadership is lost or on stop(). */
  onStartedLeading(signal: AbortSignal): void;
  onError?(err: unknown): void;
}

export class LeaderElector {
  private lease: Lease | undefined;
  private leaseId: string | undefined;
  private leading: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly key: string;

  constructor(
    private readonly client: Etcd3,
    private readonly opts: LeaderElectionOptions,
  ) {
    this.key = leaderElectionKey(opts.name);
  }

  get isLeader(): boolean {
    return this.leading !== undefined;
  }

  start(): void {
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.loseLeadership();
    const lease = this.lease;
    this.lease = undefined;
    // Revoking drops our key at once, so a successor need not wait out the TTL.
    if (lease) await lease.revoke().catch(() => lease.release());
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.tryAcquireOrRenew();
    } catch (err) {
      this.loseLeadership();
      this.opts.onError?.(err);
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.opts.retryMs ?? 2_000);
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const leaseId = await this.ensureLease();
    const key = Buffer.from(this.key);
    const resp = await this.client.kv.txn({
      compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key, value: Buffer.from(this.opts.identity), lease: leaseId } }],
      failure: [{ request_range: { key } }],
    });
    const holder = resp.succeeded ? undefined : resp.responses[0]?.response_range.kvs[0];
    const ours = resp.succeeded || (holder !== undefined && holder.lease === leaseId);
    if (ours && !this.leading) {
      this.leading = new AbortController();
      this.opts.onStartedLeading(this.leading.signal);
    } else if (!ours) {
      this.loseLeadership();
    }
  }

  private async ensureLease(): Promise<string> {
    if (this.lease && this.leaseId) return this.leaseId;
    const lease = this.client.lease(this.opts.ttlSeconds ?? 15, { autoKeepAlive: true });
    lease.on('lost', (err) => {
      if (this.lease !== lease) return;
      this.lease = undefined;
      this.leaseId = undefined;
      this.loseLeadership();
      this.opts.onError?.(err);
    });
    this.lease = lease;
    this.leaseId = await lease.grant();
    return this.leaseId;
  }

  private loseLeadership(): void {
    const leading = this.leading;
    this.leading = undefined;
    leading?.abort();
  }
}
