// The checker must itself be trustworthy: it passes the exact kube sequence and catches a
// missing, repeated, reordered or wrong event, a wrong relist, and a watcher left behind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWatcher } from './checker.js';
import { expectedEvents, type History, type HistoryChange, type ObjectDigest } from './history.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { ObservedEvent, Segment } from './watcher.js';

const obj = (ns: string, name: string, rv: number, color: string, data = 'd'): ObjectDigest => ({
  namespace: ns,
  name,
  uid: `uid-${ns}-${name}`,
  rv,
  labels: { color },
  data: JSON.stringify({ v: data }),
});

function buildHistory(): History {
  const x11 = obj('a', 'x', 11, 'red');
  const x12 = obj('a', 'x', 12, 'blue');
  const y13 = obj('a', 'y', 13, 'red');
  const z15 = obj('b', 'z', 15, 'red');
  const z16 = obj('b', 'z', 16, 'red', 'e');
  const changes: HistoryChange[] = [
    { type: 'ADDED', rv: 11, namespace: 'a', name: 'x', object: x11 },
    { type: 'MODIFIED', rv: 12, namespace: 'a', name: 'x', object: x12, prev: x11 },
    { type: 'ADDED', rv: 13, namespace: 'a', name: 'y', object: y13 },
    { type: 'DELETED', rv: 14, namespace: 'a', name: 'y', object: { ...y13, rv: 14 }, prev: y13 },
    { type: 'ADDED', rv: 15, namespace: 'b', name: 'z', object: z15 },
    { type: 'MODIFIED', rv: 16, namespace: 'b', name: 'z', object: z16, prev: z15 },
  ];
  return { startRv: 10, initial: [obj('a', 'old', 5, 'red')], changes, throughRv: 16 };
}

const red = { labelSelector: 'color=red' };
const history = buildHistory();
/** The exact kube sequence for color=red from rv 10. */
const truth: ObservedEvent[] = expectedEvents(history, red, 10).map((e) => ({ ...e }));

const seg = (events: ObservedEvent[], extra: Partial<Segment> = {}): Segment => ({
  gateway: 'gw',
  mode: 'exact',
  fromRv: 10,
  events,
  end: { kind: 'stopped' },
  protocolErrors: [],
  ...extra,
});

const check = (segments: Segment[]) =>
  checkWatcher({ id: 'w', filter: red, segments }, history, { requireCaughtUp: true });

describe('watch-check expected events', () => {
  it('follows kube semantics: leaving the selector is DELETED with the old contents at the new rv', () => {
    assert.deepEqual(
      truth.map((e) => [e.type, e.rv, e.object?.labels.color, e.object?.rv]),
      [
        ['ADDED', 11, 'red', 11],
        ['DELETED', 12, 'red', 12],
        ['ADDED', 13, 'red', 13],
        ['DELETED', 14, 'red', 14],
        ['ADDED', 15, 'red', 15],
        ['MODIFIED', 16, 'red', 16],
      ],
    );
    assert.deepEqual(
      expectedEvents(history, { labelSelector: 'color=blue' }, 10).map((e) => [e.type, e.rv]),
      [['ADDED', 12]],
    );
    assert.deepEqual(
      expectedEvents(history, { namespace: 'b', fieldSelector: 'metadata.name=z' }, 15).map((e) => [
        e.type,
        e.rv,
      ]),
      [['MODIFIED', 16]],
    );
  });

  it('evaluates the selector grammar the test uses', () => {
    const l = parseLabelSelector('color in (red, green),tier,!gone,writer!=w1');
    assert.equal(l({ color: 'red', tier: 'a' }), true);
    assert.equal(l({ color: 'blue', tier: 'a' }), false);
    assert.equal(l({ color: 'red' }), false);
    assert.equal(l({ color: 'red', tier: 'a', gone: '' }), false);
    assert.equal(l({ color: 'red', tier: 'a', writer: 'w1' }), false);
    assert.equal(parseLabelSelector('color notin (red)')({}), true);
    const f = parseFieldSelector('metadata.name=x,metadata.namespace!=b');
    assert.equal(f({ namespace: 'a', name: 'x', labels: {} }), true);
    assert.equal(f({ namespace: 'b', name: 'x', labels: {} }), false);
  });
});

describe('watch-check checker', () => {
  it('accepts the exact sequence, split by resumes, with bookmarks', () => {
    const r = check([
      seg(truth.slice(0, 2), { end: { kind: 'clean' } }),
      seg([...truth.slice(2, 4), { type: 'BOOKMARK', rv: 14 }], {
        fromRv: 12,
        end: { kind: 'transport', detail: 'reset' },
      }),
      seg(truth.slice(4), { fromRv: 14 }),
    ]);
    assert.deepEqual(r.problems, []);
    assert.equal(r.checked, 6);
    assert.equal(r.caughtUp, true);
  });

  it('catches a missing event', () => {
    const r = check([seg([truth[0]!, truth[2]!, ...truth.slice(3)])]);
    assert.match(r.problems.join('\n'), /missing event at event #1:\n {4}expected DELETED rv=12/);
  });

  it('catches a missing event hidden behind a resume from a lying bookmark', () => {
    const r = check([
      seg([truth[0]!, { type: 'BOOKMARK', rv: 12 }], { end: { kind: 'clean' } }),
      seg(truth.slice(2), { fromRv: 12 }),
    ]);
    assert.match(r.problems.join('\n'), /segment 0 .*missing event at event #1/);
  });

  it('catches a repeated event', () => {
    const r = check([seg([...truth.slice(0, 3), truth[2]!, ...truth.slice(3)])]);
    assert.match(r.problems.join('\n'), /repeated event at event #3/);
  });

  it('catches a repeated event across a resume', () => {
    const r = check([
      seg(truth.slice(0, 3), { end: { kind: 'clean' } }),
      seg(truth.slice(2), { fromRv: 13 }),
    ]);
    assert.match(
      r.problems.join('\n'),
      /segment 1 .*repeated event \(rv at or before the start rv=13\) at event #0/s,
    );
  });

  it('catches reordered events', () => {
    const r = check([seg([truth[0]!, truth[2]!, truth[1]!, ...truth.slice(3)])]);
    assert.match(r.problems.join('\n'), /reordered event at event #1/);
    const r2 = check([seg([truth[1]!, truth[0]!, ...truth.slice(2)])]);
    assert.match(r2.problems.join('\n'), /reordered event at event #0/);
  });

  it('catches a wrong event: wrong type, wrong contents, wrong rv', () => {
    const wrongType = check([
      seg([truth[0]!, { ...truth[1]!, type: 'MODIFIED' }, ...truth.slice(2)]),
    ]);
    assert.match(wrongType.problems.join('\n'), /wrong event at event #1/);
    const wrongLabels = check([
      seg([
        truth[0]!,
        { ...truth[1]!, object: { ...truth[1]!.object!, labels: { color: 'blue' } } },
        ...truth.slice(2),
      ]),
    ]);
    assert.match(wrongLabels.problems.join('\n'), /wrong event at event #1/);
    const wrongData = check([
      seg([...truth.slice(0, 5), { ...truth[5]!, object: { ...truth[5]!.object!, data: '{}' } }]),
    ]);
    assert.match(wrongData.problems.join('\n'), /wrong event at event #5/);
    const extra = check([seg([...truth, { ...truth[5]!, rv: 17 }])]);
    assert.match(extra.problems.join('\n'), /past the reference history/);
  });

  it('checks a relist against the reference state at its RV, and that time never goes back', () => {
    const good = check([
      seg(truth.slice(0, 3), { end: { kind: 'gone', detail: '410' } }),
      seg(truth.slice(3), {
        fromRv: 13,
        list: { rv: 13, items: [obj('a', 'old', 5, 'red'), obj('a', 'y', 13, 'red')] },
      }),
    ]);
    assert.deepEqual(good.problems, []);
    const badList = check([
      seg(truth.slice(3), { fromRv: 13, list: { rv: 13, items: [obj('a', 'y', 13, 'red')] } }),
    ]);
    assert.match(
      badList.problems.join('\n'),
      /relist at rv=13 differs.*missing from the list: a\/old/s,
    );
    const backwards = check([
      seg(truth.slice(0, 4), { end: { kind: 'gone', detail: '410' } }),
      seg(truth.slice(2), {
        fromRv: 12,
        list: { rv: 12, items: [obj('a', 'old', 5, 'red')] },
      }),
    ]);
    assert.match(backwards.problems.join('\n'), /time went backwards/);
  });

  it('checks initial events of an unset watch against some snapshot, then the rest', () => {
    const initialAt13 = [
      { type: 'ADDED' as const, rv: 5, object: obj('a', 'old', 5, 'red') },
      { type: 'ADDED' as const, rv: 13, object: obj('a', 'y', 13, 'red') },
    ];
    const good = check([
      seg([...initialAt13, ...truth.slice(3)], { mode: 'unset', notBeforeRv: 13 }),
    ]);
    assert.deepEqual(good.problems, []);
    const gap = check([
      seg([...initialAt13, ...truth.slice(4)], { mode: 'unset', notBeforeRv: 13 }),
    ]);
    assert.match(gap.problems.join('\n'), /match no snapshot.*missing event/s);
    const stale = check([
      seg([...initialAt13, ...truth.slice(3)], { mode: 'unset', notBeforeRv: 15 }),
    ]);
    assert.match(stale.problems.join('\n'), /match no snapshot at or after rv=15/);
  });

  it('checks a watch-list: the state at its initial-events-end bookmark, then what follows', () => {
    const initialAt13 = [
      { type: 'ADDED' as const, rv: 13, object: obj('a', 'y', 13, 'red') },
      { type: 'ADDED' as const, rv: 5, object: obj('a', 'old', 5, 'red') },
    ];
    const end = { type: 'BOOKMARK' as const, rv: 13, initialEnd: true as const };
    const good = check([
      seg([...initialAt13, end, ...truth.slice(3)], { mode: 'watchlist', fromRv: 12 }),
    ]);
    assert.deepEqual(good.problems, []);
    const tooOld = check([
      seg([...initialAt13, end, ...truth.slice(3)], { mode: 'watchlist', fromRv: 14 }),
    ]);
    assert.match(
      tooOld.problems.join('\n'),
      /initial-events-end bookmark rv=13 is older than rv=14/,
    );
    const wrongState = check([
      seg([initialAt13[1]!, end, ...truth.slice(3)], { mode: 'watchlist', fromRv: 12 }),
    ]);
    assert.match(
      wrongState.problems.join('\n'),
      /differ from the state at rv=13: missing from the list: a\/y/,
    );
    const gap = check([
      seg([...initialAt13, end, ...truth.slice(4)], { mode: 'watchlist', fromRv: 12 }),
    ]);
    assert.match(gap.problems.join('\n'), /missing event at event #0:\n {4}expected DELETED rv=14/);
  });

  it('reports a watcher that never caught up', () => {
    const r = check([seg(truth.slice(0, 4))]);
    assert.match(
      r.problems.join('\n'),
      /not caught up: complete through rv=14, the history needs rv=16/,
    );
  });
});
