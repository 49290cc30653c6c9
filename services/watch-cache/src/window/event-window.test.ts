import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventWindow, DEFAULT_MAX_AGE_MS } from './event-window.js';
import {
  EventGapError,
  NotYet,
  OutOfOrderEventError,
  PrevRvMismatchError,
  TooOld,
  WindowAppendError,
} from './errors.js';
import { EVENT_OVERHEAD_BYTES } from './event.js';
import { FakeClock, ev, rvs } from './test-helpers.js';

// Window started at 10 holding events 12, 15, 20, 21 (none evicted).
function sample(clock = new FakeClock()): EventWindow {
  const w = new EventWindow({ resource: 'pods', startRv: 10n, now: clock.now });
  for (const rv of [12, 15, 20, 21]) w.append(ev(rv));
  return w;
}

test('empty window', () => {
  const cases: [bigint, ReturnType<typeof rvs>][] = [
    [0n, []],
    [5n, []],
  ];
  const w = new EventWindow();
  for (const [rv, want] of cases) assert.deepEqual(rvs(w.since(rv)), want, `since(${rv})`);
  assert.equal(w.latestRv, 0n);
  assert.equal(w.oldestResumableRv, 0n);
  assert.equal(w.position(0n), 'resumable');
  assert.equal(w.position(1n), 'future');
  assert.equal(w.size, 0);
  assert.equal(w.lastEventRv, undefined);

  const started = new EventWindow({ startRv: 100n });
  const table: [bigint, ReturnType<typeof rvs>, string][] = [
    [99n, 'too-old', 'too-old'],
    [100n, [], 'resumable'],
    [101n, [], 'future'],
  ];
  for (const [rv, want, pos] of table) {
    assert.deepEqual(rvs(started.since(rv)), want, `since(${rv})`);
    assert.equal(started.position(rv), pos, `position(${rv})`);
  }
});

test('since() at every boundary of an unevicted window', () => {
  const w = sample();
  const table: [bigint, ReturnType<typeof rvs>, string][] = [
    [0n, 'too-old', 'too-old'],
    [9n, 'too-old', 'too-old'],
    [10n, [12n, 15n, 20n, 21n], 'resumable'], // the start revision itself is complete
    [11n, [12n, 15n, 20n, 21n], 'resumable'],
    [12n, [15n, 20n, 21n], 'resumable'],
    [13n, [15n, 20n, 21n], 'resumable'], // between events: still resumable
    [19n, [20n, 21n], 'resumable'],
    [20n, [21n], 'resumable'],
    [21n, [], 'resumable'],
    [22n, [], 'future'],
    [1000n, [], 'future'],
  ];
  for (const [rv, want, pos] of table) {
    assert.deepEqual(rvs(w.since(rv)), want, `since(${rv})`);
    assert.equal(w.position(rv), pos, `position(${rv})`);
    assert.equal(w.isFuture(rv), pos === 'future', `isFuture(${rv})`);
  }
});

test('range() for gap healing', () => {
  const w = sample();
  const table: [bigint, bigint, ReturnType<typeof rvs>][] = [
    [9n, 12n, 'too-old'],
    [10n, 12n, [12n]],
    [10n, 10n, []],
    [12n, 20n, [15n, 20n]],
    [12n, 19n, [15n]],
    [13n, 14n, []],
    [15n, 21n, [20n, 21n]],
    [21n, 21n, []],
    [20n, 22n, 'not-yet'],
    [21n, 30n, 'not-yet'],
  ];
  for (const [from, to, want] of table)
    assert.deepEqual(rvs(w.range(from, to)), want, `range(${from}, ${to}]`);
  assert.throws(() => w.range(15n, 12n), RangeError);
  const ny = w.range(20n, 25n);
  assert.ok(ny instanceof NotYet);
  assert.equal(ny.latestRv, 21n);
  assert.equal(ny.requestedRv, 25n);
});

test('advance() makes revisions between events resumable without events', () => {
  const w = sample();
  assert.equal(w.isFuture(25n), true);
  assert.equal(w.advance(30n), true);
  assert.equal(w.advance(29n), false, 'older progress is ignored');
  assert.equal(w.latestRv, 30n);
  assert.deepEqual(rvs(w.since(25n)), []);
  assert.equal(w.position(30n), 'resumable');
  assert.equal(w.position(31n), 'future');
  assert.deepEqual(rvs(w.range(21n, 30n)), []);
  // The next event must be newer than the advanced revision, and chains to the last event.
  assert.throws(() => w.append(ev(30)), OutOfOrderEventError);
  const e = w.append(ev(31));
  assert.equal(e.prevRv, 21n);
  assert.deepEqual(rvs(w.since(25n)), [31n]);
});

test('prevRv is assigned from the chain', () => {
  const w = new EventWindow({ startRv: 10n });
  const chain: [number, bigint][] = [
    [11, 10n], // first event after the start: nothing in (10, 11)
    [15, 11n],
    [16, 15n],
    [40, 16n],
  ];
  for (const [rv, prev] of chain) assert.equal(w.append(ev(rv)).prevRv, prev, `rv ${rv}`);
  assert.equal(w.lastEventRv, 40n);

  const known = new EventWindow({ startRv: 10n, lastEventRv: 7n });
  assert.equal(known.append(ev(12)).prevRv, 7n);
});

test('append() rejects out-of-order events and broken chains with typed errors', () => {
  type Case = [string, (w: EventWindow) => unknown, new (...a: never[]) => WindowAppendError];
  const cases: Case[] = [
    ['duplicate rv', (w) => w.append(ev(21)), OutOfOrderEventError],
    ['older rv', (w) => w.append(ev(15)), OutOfOrderEventError],
    ['rv at start', (w) => w.append(ev(10)), OutOfOrderEventError],
    ['prevRv older than last event', (w) => w.append(ev(25, { prevRv: 20n })), PrevRvMismatchError],
    ['prevRv equal to rv', (w) => w.append(ev(25, { prevRv: 25n })), PrevRvMismatchError],
    ['prevRv past latest: a gap', (w) => w.append(ev(25, { prevRv: 23n })), EventGapError],
  ];
  for (const [name, act, type] of cases) {
    const w = sample();
    assert.throws(
      () => act(w),
      (err: unknown) => {
        assert.ok(err instanceof type, `${name}: ${String(err)}`);
        assert.ok(err instanceof WindowAppendError);
        assert.match((err as Error).message, /^pods: /);
        return true;
      },
    );
    // A rejected append changes nothing.
    assert.deepEqual(rvs(w.since(10n)), [12n, 15n, 20n, 21n], name);
    assert.equal(w.latestRv, 21n, name);
  }
  const w = sample();
  assert.throws(
    () => w.append(ev(25, { prevRv: 23n })),
    (err: unknown) => {
      assert.ok(err instanceof EventGapError);
      assert.equal(err.prevRv, 23n);
      assert.equal(err.latestRv, 21n);
      assert.equal(err.rv, 25n);
      return true;
    },
  );
  // prevRv equal to the last event, or anywhere up to an advanced revision, is accepted.
  assert.equal(w.append(ev(25, { prevRv: 21n })).prevRv, 21n);
  w.advance(30n);
  assert.equal(w.append(ev(31, { prevRv: 28n })).prevRv, 25n, 'stores the exact previous event');
});

test('a fresh window fed from another producer keeps the strongest prevRv', () => {
  const table: [bigint, bigint | undefined, bigint][] = [
    [50n, undefined, 50n],
    [50n, 42n, 42n], // the producer knows an older previous event
    [50n, 50n, 50n],
  ];
  for (const [start, given, want] of table) {
    const w = new EventWindow({ startRv: start });
    assert.equal(w.append(ev(60, given === undefined ? {} : { prevRv: given })).prevRv, want);
  }
  const w = new EventWindow({ startRv: 50n });
  assert.throws(() => w.append(ev(60, { prevRv: 55n })), EventGapError);
});

test('age eviction: default 75 s, boundary kept, floor moves to the last evicted rv', () => {
  const clock = new FakeClock();
  const w = new EventWindow({ startRv: 10n, now: clock.now });
  w.append(ev(12)); // t0
  clock.tick(10_000);
  w.append(ev(15)); // t0+10s
  clock.tick(10_000);
  w.append(ev(20)); // t0+20s
  clock.tick(DEFAULT_MAX_AGE_MS - 20_000); // rv 12 is exactly 75 s old: kept
  assert.deepEqual(rvs(w.since(10n)), [12n, 15n, 20n]);
  clock.tick(1); // now older than 75 s
  assert.deepEqual(rvs(w.since(10n)), 'too-old');
  assert.equal(w.oldestResumableRv, 12n);
  const table: [bigint, ReturnType<typeof rvs>][] = [
    [11n, 'too-old'], // event 12 is gone
    [12n, [15n, 20n]], // exactly the last evicted rv: still complete
    [13n, [15n, 20n]],
    [20n, []],
  ];
  for (const [rv, want] of table) assert.deepEqual(rvs(w.since(rv)), want, `since(${rv})`);
  const old = w.since(11n);
  assert.ok(old instanceof TooOld);
  assert.equal(old.message, 'too old resource version: 11 (12)');
  clock.tick(60_000);
  assert.equal(w.size, 2, 'eviction is lazy');
  assert.deepEqual(rvs(w.since(20n)), []);
  assert.equal(w.size, 0);
  assert.equal(w.oldestResumableRv, 20n);
  assert.equal(w.position(20n), 'resumable', 'an idle resource stays resumable at its latest rv');
  assert.equal(w.position(19n), 'too-old');
  w.advance(90n);
  assert.deepEqual(rvs(w.since(50n)), []);
  assert.equal(w.append(ev(91)).prevRv, 20n, 'the chain survives eviction');
});

test('count cap evicts the oldest events', () => {
  const w = new EventWindow({ startRv: 0n, maxEvents: 3 });
  for (let rv = 1; rv <= 5; rv++) w.append(ev(rv * 10));
  assert.equal(w.size, 3);
  assert.equal(w.oldestResumableRv, 20n);
  assert.deepEqual(rvs(w.since(19n)), 'too-old');
  assert.deepEqual(rvs(w.since(20n)), [30n, 40n, 50n]);
  assert.deepEqual(rvs(w.range(25n, 40n)), [30n, 40n]);
  assert.deepEqual(rvs(w.range(10n, 40n)), 'too-old');

  const none = new EventWindow({ maxEvents: 0 });
  none.append(ev(5));
  assert.equal(none.size, 0);
  assert.deepEqual(rvs(none.since(5n)), []);
  assert.deepEqual(rvs(none.since(4n)), 'too-old');
});

test('byte cap counts object, prevObject, key and overhead', () => {
  const body = new Uint8Array(1000);
  const one = (rv: number) => ev(rv, { key: 'k', object: body, prevObject: body });
  const per = EVENT_OVERHEAD_BYTES + 1 + 2000;
  const w = new EventWindow({ maxBytes: per * 2 });
  w.append(one(1));
  w.append(one(2));
  assert.equal(w.byteSize, per * 2);
  assert.equal(w.size, 2);
  w.append(one(3));
  assert.equal(w.size, 2);
  assert.equal(w.byteSize, per * 2);
  assert.equal(w.oldestResumableRv, 1n);
  // A single event above the cap is not kept; the window stays correct.
  const tiny = new EventWindow({ maxBytes: 10 });
  tiny.append(one(7));
  assert.deepEqual(rvs(tiny.since(6n)), 'too-old');
  assert.deepEqual(rvs(tiny.since(7n)), []);
});

test('revisions beyond 2^53 stay exact', () => {
  const base = 2n ** 53n;
  const w = new EventWindow({ startRv: base });
  w.append(ev(base + 1n));
  w.append(ev(base + 2n));
  w.append(ev(base + 3n, { prevRv: base + 2n }));
  assert.deepEqual(rvs(w.since(base + 1n)), [base + 2n, base + 3n]);
  assert.deepEqual(rvs(w.since(base - 1n)), 'too-old');
  assert.equal(w.isFuture(base + 4n), true);
  assert.throws(() => w.append(ev(base + 2n)), OutOfOrderEventError);
  const max = (1n << 63n) - 1n;
  const top = new EventWindow({ startRv: max - 2n });
  top.append(ev(max));
  assert.deepEqual(rvs(top.since(max - 1n)), [max]);
  assert.throws(() => top.append(ev(max + 1n)), RangeError);
});

test('events are frozen records with the assigned timestamp', () => {
  const clock = new FakeClock(42);
  const w = new EventWindow({ now: clock.now });
  const e = w.append(ev(1, { type: 'ADDED' }));
  assert.equal(e.timestamp, 42);
  assert.equal(e.type, 'ADDED');
  assert.ok(Object.isFrozen(e));
  assert.equal('prevObject' in e, false);
  assert.equal(w.append(ev(2, { timestamp: 7 })).timestamp, 7);
});

test('reset() drops history and restarts the chain', () => {
  const w = sample();
  w.reset(100n);
  assert.equal(w.size, 0);
  assert.equal(w.byteSize, 0);
  assert.deepEqual(rvs(w.since(50n)), 'too-old');
  assert.deepEqual(rvs(w.since(100n)), []);
  assert.equal(w.append(ev(101)).prevRv, 100n);
  w.reset(200n, 150n);
  assert.equal(w.append(ev(201)).prevRv, 150n);
  assert.throws(() => w.reset(10n, 11n), RangeError);
});

test('long runs compact the dead prefix without losing order', () => {
  const clock = new FakeClock();
  const w = new EventWindow({ maxEvents: 100, now: clock.now });
  for (let rv = 1; rv <= 5000; rv++) w.append(ev(rv));
  assert.equal(w.size, 100);
  assert.deepEqual(
    rvs(w.since(4990n)),
    Array.from({ length: 10 }, (_, i) => BigInt(4991 + i)),
  );
  assert.equal(w.oldestResumableRv, 4900n);
});

test('invalid options are rejected', () => {
  assert.throws(() => new EventWindow({ maxAgeMs: -1 }), RangeError);
  assert.throws(() => new EventWindow({ maxEvents: Number.NaN }), RangeError);
  assert.throws(() => new EventWindow({ startRv: -1n }), RangeError);
  assert.throws(() => new EventWindow({ startRv: 5n, lastEventRv: 6n }), RangeError);
});
