// Concurrent writers for the invariant test: creates, label-changing updates (objects move
// in and out of selectors) and deletes of configmaps over a few namespaces, through any live
// gateway. They need not know what really happened when a request fails mid-way: the
// reference is etcd's history, not their intent.
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeHttp, TransportError } from './kube-http.js';

export const COLORS = ['red', 'green', 'blue'] as const;
export const TIERS = ['a', 'b'] as const;

export interface WriterStats {
  creates: number;
  updates: number;
  deletes: number;
  /** Requests that failed (transport, 5xx, or 404/409 from an uncertain earlier write). */
  failed: number;
}

export type Random = () => number;

/** mulberry32: a small seeded PRNG, so a failing run can be replayed by its seed. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

export class Writer {
  readonly stats: WriterStats = { creates: 0, updates: 0, deletes: 0, failed: 0 };
  /** name -> namespace, for objects this writer believes exist. */
  private readonly live = new Map<string, string>();
  /** Deleted names and their namespace, reused now and then (ADDED after DELETED). */
  private readonly dead = new Map<string, string>();
  private next = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    readonly id: string,
    private readonly http: KubeHttp,
    private readonly namespaces: readonly string[],
    private readonly random: Random,
    private readonly pauseMs: [number, number] = [20, 80],
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  get writes(): number {
    return this.stats.creates + this.stats.updates + this.stats.deletes;
  }

  private labels(): Record<string, string> {
    const l: Record<string, string> = { color: pick(this.random, COLORS), writer: this.id };
    if (this.random() < 0.5) l.tier = pick(this.random, TIERS);
    return l;
  }

  private body(name: string, namespace: string) {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, labels: this.labels() },
      data: { seq: String(Math.floor(this.random() * 1e9)) },
    };
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const r = this.random();
      try {
        if (this.live.size < 4 || r < 0.3) await this.create();
        else if (r < 0.8) await this.update();
        else await this.remove();
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        this.stats.failed++;
        await sleep(200); // a gateway or etcd is down; let it come back
      }
      const [lo, hi] = this.pauseMs;
      await sleep(lo + this.random() * (hi - lo));
    }
  }

  private async create(): Promise<void> {
    let name: string;
    let ns: string;
    const reuse = this.dead.size > 0 && this.random() < 0.25;
    if (reuse) {
      name = pick(this.random, [...this.dead.keys()]);
      ns = this.dead.get(name)!;
      this.dead.delete(name);
    } else {
      name = `${this.id}-${this.next++}`;
      ns = pick(this.random, this.namespaces);
    }
    const res = await this.http.request(
      'POST',
      `/api/v1/namespaces/${ns}/configmaps`,
      this.body(name, ns),
    );
    // 409: an earlier create whose answer was lost did go through.
    if (res.status === 201 || res.status === 409) this.live.set(name, ns);
    if (res.status === 201) this.stats.creates++;
    else this.stats.failed++;
  }

  private async update(): Promise<void> {
    const name = pick(this.random, [...this.live.keys()]);
    const ns = this.live.get(name)!;
    // No resourceVersion: an unconditional update, which configmaps allow.
    const res = await this.http.request(
      'PUT',
      `/api/v1/namespaces/${ns}/configmaps/${name}`,
      this.body(name, ns),
    );
    if (res.status === 200) this.stats.updates++;
    else {
      this.stats.failed++;
      if (res.status === 404) this.forget(name, ns);
    }
  }

  private async remove(): Promise<void> {
    const name = pick(this.random, [...this.live.keys()]);
    const ns = this.live.get(name)!;
    const res = await this.http.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/${name}`);
    if (res.status === 200 || res.status === 202) this.stats.deletes++;
    else this.stats.failed++;
    if (res.status === 200 || res.status === 202 || res.status === 404) this.forget(name, ns);
  }

  private forget(name: string, ns: string): void {
    this.live.delete(name);
    this.dead.set(name, ns);
  }
}
