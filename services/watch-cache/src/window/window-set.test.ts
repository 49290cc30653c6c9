import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WindowSet, resourceKey } from './window-set.js';
import { OutOfOrderEventError, PrevRvMismatchError } from './errors.js';
import { FakeClock, ev, rvs } from './test-helpers.js';

test('resourceKey', () => {
  assert.equal(resourceKey('', 'pods'), 'pods');
  assert.equal(resourceKey('apps', 'deployments'), 'apps/deployments');
});

test('routes events per resource with per-resource prevRv chains', () => {
  const set = new WindowSet({ startRv: 10n });
  const feed: [string, number, bigint][] = [
    ['pods', 11, 10n],
    ['apps/deployments', 12, 10n],
    ['pods', 13, 11n],
    ['pods', 17, 13n],
    ['apps/deployments', 20, 12n],
  ];
  for (const [res, rv, prev] of feed)
    assert.equal(set.append(res, ev(rv)).prevRv, prev, `${res}@${rv}`);
  assert.deepEqual(rvs(set.since('pods', 10n)), [11n, 13n, 17n]);
  assert.deepEqual(rvs(set.since('apps/deployments', 12n)), [20n]);
  assert.deepEqual(rvs(set.range('pods', 11n, 17n)), [13n, 17n]);
  assert.deepEqual(set.resources().sort(), ['apps/deployments', 'pods']);
  assert.ok(set.window('pods'));
  assert.equal(set.window('secrets'), undefined);
});

test('the stream position makes idle resources resumable', () => {
  const set = new WindowSet({ startRv: 10n });
  set.append('pods', ev(11));
  set.append('apps/deployments', ev(15));
  // An event at 15 proves everything else complete through 14, not 15 (same-txn keys may follow).
  const table: [string, bigint, string][] = [
    ['pods', 14n, 'resumable'],
    ['pods', 15n, 'future'],
    ['apps/deployments', 15n, 'resumable'],
    ['secrets', 9n, 'too-old'],
    ['secrets', 10n, 'resumable'],
    ['secrets', 14n, 'resumable'],
    ['secrets', 15n, 'future'],
  ];
  for (const [res, rv, pos] of table) assert.equal(set.position(res, rv), pos, `${res}@${rv}`);
  assert.equal(set.latestRv('pods'), 14n);
  assert.equal(set.latestRv('secrets'), 14n);
  assert.equal(set.streamRv, 14n);
  // A multi-key txn: another resource at the same revision is fine.
  set.append('pods', ev(15));
  assert.equal(set.advance(15n), true);
  assert.equal(set.position('secrets', 15n), 'resumable');
  assert.equal(set.isFuture('secrets', 16n), true);
  assert.equal(set.advance(40n), true);
  assert.equal(set.advance(39n), false);
  assert.deepEqual(rvs(set.since('pods', 30n)), []);
  assert.deepEqual(rvs(set.since('secrets', 40n)), []);
  assert.equal(set.latestRv('pods'), 40n);
  assert.deepEqual(rvs(set.range('pods', 11n, 40n)), [15n]);
  assert.deepEqual(rvs(set.range('pods', 11n, 41n)), 'not-yet');
  assert.deepEqual(rvs(set.range('secrets', 9n, 20n)), 'too-old');
  assert.deepEqual(rvs(set.range('secrets', 10n, 40n)), []);
  assert.deepEqual(rvs(set.range('secrets', 10n, 41n)), 'not-yet');
  assert.equal(set.oldestResumableRv('secrets'), 10n);
  assert.equal(set.append('secrets', ev(41)).prevRv, 10n);
});

test('rejects a stream going backwards across resources', () => {
  const cases: [string, (s: WindowSet) => unknown][] = [
    ['older rv on another resource', (s) => s.append('apps/deployments', ev(19))],
    ['same rv on the same resource', (s) => s.append('pods', ev(20))],
    [
      'event at an advanced revision',
      (s) => (s.advance(25n), s.append('apps/deployments', ev(25))),
    ],
  ];
  for (const [name, act] of cases) {
    const set = new WindowSet({ startRv: 10n });
    set.append('pods', ev(20));
    assert.throws(() => act(set), OutOfOrderEventError, name);
  }
  const set = new WindowSet({ startRv: 10n });
  set.append('pods', ev(20));
  assert.throws(() => set.append('pods', ev(21, { prevRv: 15n })), PrevRvMismatchError);
  assert.equal(set.advance(5n), false);
  assert.equal(set.advance(19n), false, 'the event at 20 already proved 19');
});

test('limits apply to every window; prune() and reset()', () => {
  const clock = new FakeClock();
  const set = new WindowSet({ startRv: 0n, maxAgeMs: 1000, maxEvents: 2, now: clock.now });
  for (let rv = 1; rv <= 4; rv++) set.append('pods', ev(rv));
  set.append('configmaps', ev(5));
  assert.equal(set.oldestResumableRv('pods'), 2n);
  assert.deepEqual(rvs(set.since('pods', 1n)), 'too-old');
  clock.tick(1001);
  assert.equal(set.prune(), 3);
  assert.equal(set.oldestResumableRv('configmaps'), 5n);
  assert.deepEqual(rvs(set.since('configmaps', 4n)), 'too-old');
  assert.deepEqual(rvs(set.since('configmaps', 5n)), []);
  set.reset(100n);
  assert.deepEqual(set.resources(), []);
  assert.deepEqual(rvs(set.since('pods', 99n)), 'too-old');
  assert.equal(set.append('pods', ev(101)).prevRv, 100n);
});
