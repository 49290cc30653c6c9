// Watchers driven by a real ResourceFeed on a real nats-server: selector transitions, scoping,
// catch-up and joining the shared dispatcher, 410, bookmarks, the slow-watcher bound.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { filterFor } from '@splitplane/apimachinery';
import { decodeFeedEvent } from '@splitplane/informer';
import { BUILTIN_RESOURCES, Scheme, type ResourceDefinition } from '@splitplane/scheme';
import { waitFor } from '@splitplane/testing';
import { EventEncoder } from './event-encoder.js';
import { FeedHub } from './feed-hub.js';
import { startFeedFixture, type FeedFixture } from './testing/feed-fixture.js';
import { Watcher, type WatcherOptions, type WatcherScope } from './watcher.js';

const scheme = new Scheme(BUILTIN_RESOURCES);
const configmaps = scheme.resource('', 'v1', 'configmaps')!;
const pods = scheme.resource('', 'v1', 'pods')!;
const JSON_FORMAT = {
  encoding: 'json' as const,
  transform: 'none' as const,
  metaVersion: 'v1',
  contentType: 'application/json',
};

let fx: FeedFixture;
let hub: FeedHub;
before(async () => {
  fx = await startFeedFixture();
  hub = new FeedHub(fx.factory, { idleCloseMs: 200 });
});
after(async () => {
  hub.close();
  await fx.stop();
});

interface Line {
  type: string;
  object: {
    metadata: {
      name?: string;
      resourceVersion: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
    code?: number;
    reason?: string;
    message?: string;
  };
}

interface Started {
  watcher: Watcher;
  lines: Line[];
  release(): void;
}

async function watch(
  def: ResourceDefinition,
  scope: Partial<WatcherScope> & { labelSelector?: string; fieldSelector?: string },
  fromRv: bigint,
  opts: Partial<WatcherOptions> & { sink?: PassThrough; read?: boolean } = {},
): Promise<Started> {
  const sink = opts.sink ?? new PassThrough();
  const lines: Line[] = [];
  if (opts.read !== false) {
    let buf = '';
    sink.on('data', (c: Buffer) => {
      buf += c.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buf.slice(0, i)) as Line);
        buf = buf.slice(i + 1);
      }
    });
  }
  const filter = filterFor(def, scope.labelSelector ?? '', scope.fieldSelector ?? '');
  const watcher = new Watcher({
    scope: {
      namespace: scope.namespace ?? '',
      name: scope.name ?? filter.name ?? '',
      ...(scope.nodeName !== undefined ? { nodeName: scope.nodeName } : {}),
      filter,
    },
    encoder: new EventEncoder(def, JSON_FORMAT, 'Metadata'),
    sink,
    startRv: fromRv,
    allowWatchBookmarks: false,
    bookmarkIntervalMs: 3_600_000,
    deadline: Date.now() + 600_000,
    maxQueueBytes: 16 * 1024 * 1024,
    maxUnwritableMs: 60_000,
    ...opts,
  });
  const lease = await hub.acquire(def.group, def.plural);
  lease.attach(watcher, fromRv);
  void watcher.done.then(() => lease.release());
  return { watcher, lines, release: () => watcher.stop('client') };
}

const summary = (lines: Line[]) =>
  lines.map((l) => [l.type, l.object.metadata.name, l.object.metadata.resourceVersion]);

const until = (what: string, cond: () => boolean) =>
  waitFor(cond, { message: what, timeoutMs: 15_000 });

describe('Watcher on a ResourceFeed', () => {
  it('turns selector transitions into ADDED and DELETED, as kube cacheWatcher does', async () => {
    const h = fx.history('', 'configmaps');
    const w = await watch(configmaps, { namespace: 't1', labelSelector: 'app=web' }, h.revision);
    const a1 = h.put({ name: 'a', namespace: 't1', labels: { app: 'web' } });
    h.put({ name: 'a', namespace: 'other', labels: { app: 'web' } });
    const a2 = h.put({ name: 'a', namespace: 't1', labels: { app: 'web', v: '2' } });
    const a3 = h.put({ name: 'a', namespace: 't1', labels: { app: 'db' } });
    h.put({ name: 'a', namespace: 't1', labels: { app: 'db', v: '4' } });
    const a5 = h.put({ name: 'a', namespace: 't1', labels: { app: 'web' } });
    const gone = h.delete('a', 't1');
    await until('six transitions', () => w.lines.length >= 5);
    assert.deepEqual(summary(w.lines), [
      ['ADDED', 'a', a1.rv],
      ['MODIFIED', 'a', a2.rv],
      ['DELETED', 'a', a3.rv],
      ['ADDED', 'a', a5.rv],
      ['DELETED', 'a', gone.rv],
    ]);
    // Leaving the selector: the previous content, stamped with the event's resourceVersion.
    assert.deepEqual(w.lines[2]!.object.metadata.labels, { app: 'web', v: '2' });
    w.release();
    assert.equal(await w.watcher.done, 'client');
  });

  it('scopes single-object watches and pods by node (index) without seeing others', async () => {
    const h = fx.history('', 'pods', 'Pod');
    const start = h.revision;
    const byName = await watch(pods, { fieldSelector: 'metadata.name=p1', namespace: 'ns' }, start);
    const byNode = await watch(pods, { fieldSelector: 'spec.nodeName=n1', nodeName: 'n1' }, start);
    const all = await watch(pods, {}, start);
    h.put({ name: 'p1', namespace: 'ns', nodeName: '' });
    h.put({ name: 'p2', namespace: 'ns', nodeName: 'n1' });
    h.put({ name: 'p1', namespace: 'ns', nodeName: 'n1' });
    h.put({ name: 'p3', namespace: 'ns', nodeName: 'n2' });
    await until('all four', () => all.lines.length >= 4);
    await until('p1 twice', () => byName.lines.length >= 2);
    await until('node n1', () => byNode.lines.length >= 2);
    assert.deepEqual(
      byName.lines.map((l) => [l.type, l.object.metadata.name]),
      [
        ['ADDED', 'p1'],
        ['MODIFIED', 'p1'],
      ],
    );
    assert.deepEqual(
      byNode.lines.map((l) => [l.type, l.object.metadata.name]),
      [
        ['ADDED', 'p2'],
        ['ADDED', 'p1'],
      ],
    );
    for (const w of [byName, byNode, all]) w.release();
  });

  it('catches an older start up from history, then shares the live dispatch', async () => {
    const h = fx.history('', 'configmaps');
    const base = h.revision;
    const live = await watch(configmaps, { namespace: 't3' }, base);
    const first = [1, 2, 3].map((i) => h.put({ name: `c${i}`, namespace: 't3' }));
    await until('live has three', () => live.lines.length >= 3);
    // Starts before all three: its own subscription replays them, then it joins.
    const late = await watch(configmaps, { namespace: 't3' }, base);
    await until('late caught up', () => late.lines.length >= 3);
    const more = [4, 5].map((i) => h.put({ name: `c${i}`, namespace: 't3' }));
    await until('late has five', () => late.lines.length >= 5);
    await until('live has five', () => live.lines.length >= 5);
    const rvs = [...first, ...more].map((e) => e.rv);
    assert.deepEqual(
      late.lines.map((l) => l.object.metadata.resourceVersion),
      rvs,
    );
    assert.deepEqual(
      live.lines.map((l) => l.object.metadata.resourceVersion),
      rvs,
    );
    live.release();
    late.release();
  });

  it('sends one ERROR 410 Expired and ends when the start left the history', async () => {
    const h = fx.history('', 'configmaps');
    h.put({ name: 'x', namespace: 't4' });
    // Older than the feed's local window (anchored at 100 by the first test) and than the
    // watch-cache's history.
    const tooOld = 99n;
    h.oldest = h.revision;
    const w = await watch(configmaps, { namespace: 't4' }, tooOld);
    assert.equal(await w.watcher.done, 'error');
    await until('error line', () => w.lines.length >= 1);
    assert.equal(w.lines.length, 1);
    assert.equal(w.lines[0]!.type, 'ERROR');
    assert.equal(w.lines[0]!.object.code, 410);
    assert.equal(w.lines[0]!.object.reason, 'Expired');
    assert.equal(w.lines[0]!.object.message, `too old resource version: ${tooOld} (${h.oldest})`);
    h.oldest = 100n;
  });

  it('sends periodic bookmarks once the feed progressed past the start, and one before the deadline', async () => {
    const h = fx.history('', 'configmaps');
    const periodic = await watch(configmaps, { namespace: 't5' }, h.revision, {
      allowWatchBookmarks: true,
      bookmarkIntervalMs: 100,
    });
    h.advance(3n);
    h.progress();
    const p1 = h.revision;
    await until('bookmark at p1', () =>
      periodic.lines.some((l) => l.object.metadata.resourceVersion === p1.toString()),
    );
    h.put({ name: 'b', namespace: 't5' });
    h.advance(2n);
    h.progress();
    const p2 = h.revision;
    await until('bookmark at p2', () =>
      periodic.lines.some(
        (l) => l.type === 'BOOKMARK' && l.object.metadata.resourceVersion === p2.toString(),
      ),
    );
    const bookmarks = periodic.lines.filter((l) => l.type === 'BOOKMARK');
    // The kind's empty object with only the resourceVersion; never the same RV twice.
    assert.deepEqual(Object.keys(bookmarks[0]!.object).sort(), ['apiVersion', 'kind', 'metadata']);
    const rvs = bookmarks.map((b) => BigInt(b.object.metadata.resourceVersion));
    assert.deepEqual(
      rvs,
      [...new Set(rvs)].sort((a, b) => (a < b ? -1 : 1)),
    );
    periodic.release();

    const ending = await watch(configmaps, { namespace: 't5' }, h.revision, {
      allowWatchBookmarks: true,
      deadline: Date.now() + 3_000,
    });
    h.advance(1n);
    h.progress();
    assert.equal(await ending.watcher.done, 'timeout');
    assert.deepEqual(
      ending.lines.map((l) => [l.type, l.object.metadata.resourceVersion]),
      [['BOOKMARK', h.revision.toString()]],
    );
  });

  it('ends a watcher that stops reading; the others get every event', async () => {
    const h = fx.history('', 'configmaps');
    const start = h.revision;
    const slowSink = new PassThrough({ highWaterMark: 1024 });
    const slow = await watch(configmaps, { namespace: 't6' }, start, {
      sink: slowSink,
      read: false,
      maxQueueBytes: 8 * 1024,
    });
    const fast = await watch(configmaps, { namespace: 't6' }, start);
    const big = 'x'.repeat(2048);
    const written = [];
    for (let i = 0; i < 20; i++) {
      written.push(h.put({ name: `s${i}`, namespace: 't6', labels: { big } }));
    }
    assert.equal(await slow.watcher.done, 'slow');
    await until('fast got all', () => fast.lines.length >= written.length);
    assert.deepEqual(
      fast.lines.map((l) => l.object.metadata.resourceVersion),
      written.map((e) => e.rv),
    );
    fast.release();
  });

  it('ends watches cleanly when the feed closes', async () => {
    const local = new FeedHub(fx.factory);
    const h = fx.history('', 'configmaps');
    const lease = await local.acquire('', 'configmaps');
    const w = new Watcher({
      scope: { namespace: '', name: '', filter: filterFor(configmaps, '', '') },
      encoder: new EventEncoder(configmaps, JSON_FORMAT, 'Metadata'),
      sink: new PassThrough(),
      startRv: h.revision,
      allowWatchBookmarks: false,
      bookmarkIntervalMs: 60_000,
      deadline: Date.now() + 60_000,
      maxQueueBytes: 1 << 20,
      maxUnwritableMs: 10_000,
    });
    lease.attach(w, h.revision);
    local.close();
    assert.equal(await w.done, 'feed-closed');
  });
});

describe('EventEncoder', () => {
  it('encodes an event once per form, shared by every watcher that wants that form', () => {
    const ev = decodeFeedEvent({
      type: 'ADDED',
      object: Buffer.from(
        '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"7"}}',
      ),
      rv: '7',
      prevRv: '6',
      prevObject: Buffer.alloc(0),
      namespace: 'default',
      name: 'a',
    });
    const one = new EventEncoder(configmaps, JSON_FORMAT, 'Metadata');
    const two = new EventEncoder(configmaps, JSON_FORMAT, 'Metadata');
    const bytes = one.event('ADDED', ev, 'object');
    assert.equal(two.event('ADDED', ev, 'object'), bytes);
    assert.equal(
      bytes.toString(),
      '{"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"7"}}}\n',
    );
    const partial = new EventEncoder(
      configmaps,
      { ...JSON_FORMAT, transform: 'partial' },
      'Metadata',
    ).event('ADDED', ev, 'object');
    assert.notEqual(partial, bytes);
    assert.match(partial.toString(), /"kind":"PartialObjectMetadata"/);
  });
});
