// Randomized check of EventWindow and WindowSet against a naive model that keeps every
// event and defines completeness directly: since(rv) is too old exactly when an evicted
// event has rv' > rv (or rv predates the start).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventWindow } from './event-window.js';
import { WindowSet } from './window-set.js';
import {
  EventGapError,
  OutOfOrderEventError,
  PrevRvMismatchError,
  type RvPosition,
} from './errors.js';
import { eventBytes, type WindowEvent } from './event.js';
import { FakeClock, ev, rvs } from './test-helpers.js';

function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

interface Limits {
  maxAgeMs: number;
  maxEvents: number;
  maxBytes: number;
}

/** Every event ever appended to one resource, and which of them the model has evicted. */
class Model {
  events: { rv: bigint; prevRv: bigint; ts: number; bytes: number }[] = [];
  evicted = 0;
  lastEvent: bigint | undefined;
  advanced: bigint;
  constructor(
    public startRv: bigint,
    private limits: Limits,
    private now: () => number,
  ) {
    this.advanced = startRv;
  }
  get latest(): bigint {
    const last = this.events.at(-1)?.rv ?? this.startRv;
    return last > this.advanced ? last : this.advanced;
  }
  retained() {
    return this.events.slice(this.evicted);
  }
  evict(): void {
    for (;;) {
      const kept = this.retained();
      if (kept.length === 0) return;
      const bytes = kept.reduce((s, e) => s + e.bytes, 0);
      const old = this.now() - kept[0]!.ts > this.limits.maxAgeMs;
      if (!old && kept.length <= this.limits.maxEvents && bytes <= this.limits.maxBytes) return;
      this.evicted++;
    }
  }
  tooOld(rv: bigint): boolean {
    return rv < this.startRv || this.events.slice(0, this.evicted).some((e) => e.rv > rv);
  }
  since(rv: bigint): bigint[] | 'too-old' {
    this.evict();
    if (this.tooOld(rv)) return 'too-old';
    return this.retained()
      .filter((e) => e.rv > rv)
      .map((e) => e.rv);
  }
  range(from: bigint, to: bigint): bigint[] | 'too-old' | 'not-yet' {
    this.evict();
    if (this.tooOld(from)) return 'too-old';
    if (to > this.latest) return 'not-yet';
    return this.retained()
      .filter((e) => e.rv > from && e.rv <= to)
      .map((e) => e.rv);
  }
  position(rv: bigint): RvPosition {
    this.evict();
    if (this.tooOld(rv)) return 'too-old';
    return rv > this.latest ? 'future' : 'resumable';
  }
  oldest(): bigint {
    this.evict();
    return this.evicted === 0 ? this.startRv : this.events[this.evicted - 1]!.rv;
  }
}

function record(m: Model, e: WindowEvent): void {
  m.events.push({ rv: e.rv, prevRv: e.prevRv, ts: e.timestamp, bytes: eventBytes(e) });
  m.lastEvent = e.rv;
  m.evict();
}

function checkWindow(seed: number, steps: number): void {
  const r = rng(seed);
  const clock = new FakeClock();
  const limits: Limits = {
    maxAgeMs: [1_000, 75_000, 10_000_000][r(3)]!,
    maxEvents: [1, 5, 50, 100_000][r(4)]!,
    maxBytes: [400, 5_000, 1e9][r(3)]!,
  };
  const base = r(2) === 0 ? 0n : 2n ** 60n; // half the runs live past 2^53
  let start = base + BigInt(r(5));
  const w = new EventWindow({ ...limits, startRv: start, now: clock.now, resource: 'r' });
  let m = new Model(start, limits, clock.now);
  const pick = () => {
    const rv = m.startRv - 3n + BigInt(r(Number(m.latest - m.startRv) + 7));
    return rv < 0n ? 0n : rv;
  };
  const ctx = () => `seed ${seed} limits ${JSON.stringify(limits)}`;
  for (let i = 0; i < steps; i++) {
    const op = r(100);
    if (op < 35) {
      const rv = m.latest + 1n + BigInt(r(3));
      const size = r(300);
      const input = ev(rv, {
        object: new Uint8Array(size),
        ...(r(2) ? { prevObject: new Uint8Array(r(200)) } : {}),
      });
      const choice = r(10);
      if (choice < 6) record(m, w.append(input));
      else if (choice < 8) {
        // A producer's prevRv anywhere in [last event, latest] is accepted.
        const low = m.lastEvent ?? (m.startRv > 0n ? m.startRv - BigInt(r(2)) : 0n);
        const prevRv = low + BigInt(r(Number(m.latest - low) + 1));
        const e = w.append({ ...input, prevRv });
        assert.equal(e.prevRv, m.lastEvent ?? (prevRv < m.startRv ? prevRv : m.startRv), ctx());
        record(m, e);
      } else if (choice === 8) {
        const stale = m.latest - BigInt(r(3));
        assert.throws(
          () => w.append({ ...input, rv: stale < 0n ? 0n : stale }),
          OutOfOrderEventError,
          ctx(),
        );
      } else if (m.lastEvent !== undefined && r(2)) {
        assert.throws(
          () => w.append({ ...input, prevRv: m.lastEvent! - 1n }),
          PrevRvMismatchError,
          ctx(),
        );
      } else {
        assert.throws(
          () => w.append({ ...input, prevRv: m.latest + 1n, rv: m.latest + 2n }),
          EventGapError,
          ctx(),
        );
      }
    } else if (op < 42) {
      const to = m.latest + BigInt(r(6)) - 2n;
      const moved = w.advance(to);
      assert.equal(moved, to > m.latest, ctx());
      if (to > m.advanced) m.advanced = to;
    } else if (op < 55) {
      clock.tick([0, 10, 500, 5_000, 40_000][r(5)]!);
    } else if (op < 75) {
      const rv = pick();
      assert.deepEqual(rvs(w.since(rv)), m.since(rv), `${ctx()} step ${i} since(${rv})`);
    } else if (op < 87) {
      const a = pick();
      const b = pick();
      const [from, to] = a <= b ? [a, b] : [b, a];
      assert.deepEqual(
        rvs(w.range(from, to)),
        m.range(from, to),
        `${ctx()} step ${i} range(${from}, ${to}]`,
      );
    } else if (op < 97) {
      const rv = pick();
      assert.equal(w.position(rv), m.position(rv), `${ctx()} position(${rv})`);
      assert.equal(w.oldestResumableRv, m.oldest(), ctx());
      assert.equal(w.latestRv, m.latest, ctx());
      assert.equal(w.size, m.retained().length, ctx());
      assert.equal(
        w.byteSize,
        m.retained().reduce((s, e) => s + e.bytes, 0),
        ctx(),
      );
    } else if (op < 98) {
      start = m.latest + BigInt(r(100));
      w.reset(start);
      m = new Model(start, limits, clock.now);
    }
  }
  // The stored chain is exactly the sequence of previous events since the last reset.
  const all = m.events;
  if (all.length) assert.ok(all[0]!.prevRv <= m.startRv, ctx());
  for (let i = 1; i < all.length; i++) assert.equal(all[i]!.prevRv, all[i - 1]!.rv, ctx());
}

test('EventWindow matches the reference model over random runs', () => {
  for (let seed = 1; seed <= 60; seed++) checkWindow(seed, 2_000);
});

test('WindowSet matches per-resource models fed from one ordered stream', () => {
  for (let seed = 1; seed <= 25; seed++) {
    const r = rng(seed * 7919);
    const clock = new FakeClock();
    const limits: Limits = { maxAgeMs: 20_000, maxEvents: [3, 40][r(2)]!, maxBytes: 1e9 };
    const start = 2n ** 53n + BigInt(r(10));
    const set = new WindowSet({ ...limits, startRv: start, now: clock.now });
    const names = ['pods', 'apps/deployments', 'configmaps', 'secrets'];
    const models = new Map(names.map((n) => [n, new Model(start, limits, clock.now)]));
    let stream = start; // every resource is complete through this
    let head = start; // revision of the latest event in the stream
    const latest = (m: Model) => (m.latest > stream ? m.latest : stream);
    for (let i = 0; i < 3_000; i++) {
      const op = r(100);
      const name = names[r(3)]!; // secrets never gets events
      const m = models.get(name)!;
      const ctx = `seed ${seed} step ${i} ${name}`;
      if (op < 40) {
        // A new revision, or (multi-key txn) the current one for a resource not yet at it.
        const sameTxn = r(4) === 0 && head > stream && m.latest < head;
        const rv = sameTxn ? head : (head > stream ? head : stream) + 1n + BigInt(r(3));
        const e = set.append(name, ev(rv));
        assert.equal(e.prevRv, m.lastEvent ?? start, ctx);
        record(m, e);
        head = rv;
        if (rv - 1n > stream) stream = rv - 1n;
      } else if (op < 48) {
        const to = head + BigInt(r(3));
        set.advance(to);
        if (to > stream) stream = to;
      } else if (op < 58) {
        clock.tick(r(8_000));
      } else {
        const top = latest(m);
        const rv = start - 2n + BigInt(r(Number(top - start) + 5));
        m.advanced = stream > m.advanced ? stream : m.advanced;
        assert.deepEqual(rvs(set.since(name, rv)), m.since(rv), `${ctx} since(${rv})`);
        assert.equal(set.position(name, rv), m.position(rv), `${ctx} position(${rv})`);
        assert.equal(set.latestRv(name), m.latest, ctx);
        assert.equal(set.oldestResumableRv(name), m.oldest(), ctx);
        if (rv <= top)
          assert.deepEqual(
            rvs(set.range(name, rv, top)),
            m.range(rv, top),
            `${ctx} range(${rv}, ${top}]`,
          );
        const unseen = models.get('secrets')!;
        unseen.advanced = stream;
        assert.equal(
          set.position('secrets', rv),
          unseen.position(rv),
          `${ctx} secrets position(${rv})`,
        );
      }
    }
  }
});
