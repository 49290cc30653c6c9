// An in-test stand-in for a watch-cache replica's event history, so tests control exactly
// when history expires (410), fails (503) or lags — cases the real watch-cache cannot be
// made to produce deterministically.
import { newResourceExpired, newServiceUnavailable, newTimeout } from '@splitplane/apimachinery';
import { WatchEvent } from '@splitplane/proto';
import { decodeFeedEvent } from '../feed-event.js';
import type { EventHistory, FeedEvent } from '../feed-types.js';

export class TestHistory implements EventHistory {
  /** Every event of the resource, oldest first. */
  readonly log: WatchEvent[] = [];
  /** The "etcd" revision: other resources' writes advance it too. */
  revision: bigint;
  /** Events after this revision are still resumable; older fromRv ⇒ 410. */
  oldest: bigint;
  /** The revision the answering replica has reached (default: follows revision). */
  replicaAt: bigint | undefined;
  /** Fail this many calls with 503 before answering again. */
  failNext = 0;
  /** Every call fails with 503 while true. */
  down = false;
  calls: Array<{ from: bigint; to: bigint | undefined }> = [];
  #lastEventRv: bigint;
  #waiters: Array<() => void> = [];

  constructor(start = 100n) {
    this.revision = start;
    this.oldest = start;
    this.#lastEventRv = start;
  }

  get lastEventRv(): bigint {
    return this.#lastEventRv;
  }

  /** Appends one event, skipping `skip` revisions that belong to other resources. */
  append(
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    name: string,
    namespace = 'default',
    skip = 0n,
    labels: Record<string, string> = {},
  ): WatchEvent {
    this.revision += skip + 1n;
    const rv = this.revision;
    const object = Buffer.from(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace, resourceVersion: rv.toString(), labels },
        data: { rv: rv.toString() },
      }),
    );
    const ev: WatchEvent = {
      type,
      object,
      rv: rv.toString(),
      prevRv: this.#lastEventRv.toString(),
      prevObject: Buffer.alloc(0),
      namespace,
      name,
    };
    this.#lastEventRv = rv;
    this.log.push(ev);
    this.#wake();
    return ev;
  }

  /** Other resources' writes: the revision moves, this resource has no event. */
  advance(by = 1n): void {
    this.revision += by;
    this.#wake();
  }

  /** The PROGRESS message a replica at `revision` would publish now. */
  progress(): WatchEvent {
    return {
      type: 'PROGRESS',
      object: Buffer.alloc(0),
      rv: this.revision.toString(),
      prevRv: this.#lastEventRv.toString(),
      prevObject: Buffer.alloc(0),
      namespace: '',
      name: '',
    };
  }

  /** rvs of the events in (from, to]. */
  rvsAfter(from: bigint, to = this.revision): bigint[] {
    return this.log.map((e) => BigInt(e.rv)).filter((rv) => rv > from && rv <= to);
  }

  async events(
    fromRv: bigint,
    toRv: bigint | undefined,
  ): Promise<{ events: FeedEvent[]; through: bigint }> {
    const answer = await this.watchEvents(fromRv, toRv);
    return { events: answer.events.map(decodeFeedEvent), through: answer.through };
  }

  /** The objects at the current revision, keyed namespace/name, replayed from the log. */
  state(): Map<string, Buffer> {
    const state = new Map<string, Buffer>();
    for (const ev of this.log) {
      const key = `${ev.namespace}/${ev.name}`;
      if (ev.type === 'DELETED') state.delete(key);
      else state.set(key, ev.object);
    }
    return state;
  }

  /** What the Events RPC answers, on the wire. */
  async watchEvents(
    fromRv: bigint,
    toRv: bigint | undefined,
  ): Promise<{ events: WatchEvent[]; through: bigint }> {
    this.calls.push({ from: fromRv, to: toRv });
    await Promise.resolve();
    if (this.down) throw newServiceUnavailable('watch-cache is down');
    if (this.failNext > 0) {
      this.failNext--;
      throw newServiceUnavailable('watch-cache replica went away');
    }
    if (fromRv < this.oldest) {
      throw newResourceExpired(`too old resource version: ${fromRv} (${this.oldest})`);
    }
    const at = () => this.replicaAt ?? this.revision;
    const wanted = toRv !== undefined && toRv > fromRv ? toRv : fromRv;
    if (at() < wanted) {
      // Like the real RPC: wait for the replica to get there, up to a deadline.
      const reached = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 2_000);
        const check = () => {
          if (at() >= wanted) {
            clearTimeout(timer);
            resolve(true);
          } else this.#waiters.push(check);
        };
        check();
      });
      if (!reached) throw newTimeout(`Too large resource version: ${wanted}, current: ${at()}`);
    }
    const through = toRv ?? at();
    const events = this.log.filter((e) => {
      const rv = BigInt(e.rv);
      return rv > fromRv && rv <= through;
    });
    return { events, through };
  }

  /** Wakes calls waiting for a replica to catch up (replicaAt changes included). */
  poke(): void {
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
