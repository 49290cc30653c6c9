import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { createEtcdClient } from '../etcd-client.js';
import {
  watchPrefix,
  type EtcdWatchEvent,
  type EtcdWatchMessage,
  type WatchStream,
} from './raw-watch.js';

const NOTIFY_MS = 500;

/** Reads one watch's messages with a deadline per message. */
function reader(w: WatchStream) {
  const it = w[Symbol.asyncIterator]();
  return async (timeoutMs = 5_000): Promise<EtcdWatchMessage | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no watch message within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const r = await Promise.race([it.next(), timeout]);
      return r.done ? undefined : r.value;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Reads until `count` events arrived, failing on anything but events. */
async function readEvents(
  next: ReturnType<typeof reader>,
  count: number,
): Promise<EtcdWatchEvent[]> {
  const out: EtcdWatchEvent[] = [];
  while (out.length < count) {
    const m = await next();
    if (m?.kind === 'progress') continue;
    assert.equal(m?.kind, 'events', JSON.stringify(m));
    if (m?.kind === 'events') out.push(...m.events);
  }
  return out;
}

async function put(c: Etcd3, key: string, value: string): Promise<string> {
  return (await c.put(key).value(value).exec()).header.revision;
}

describe('watchPrefix against a real etcd', () => {
  let etcd: EtcdHandle;
  let client: Etcd3;

  before(async () => {
    etcd = await startEtcd({ progressNotifyIntervalMs: NOTIFY_MS });
    client = createEtcdClient({ servers: [etcd.endpoint] });
  });
  after(async () => {
    client?.close();
    await etcd?.stop();
  });

  it('delivers puts and deletes under the prefix in revision order, with prevKv', async () => {
    const start = String(BigInt(await put(client, '/outside/x', '0')) + 1n);
    const w = watchPrefix(client, '/live/', start, { prevKv: true });
    const next = reader(w);
    const r1 = await put(client, '/live/a', 'v1');
    await put(client, '/other/a', 'ignored');
    const r2 = await put(client, '/live/a', 'v2');
    const r3 = (await client.delete().key('/live/a').exec()).header.revision;
    const r4 = await put(client, '/live/b', 'b1');
    const evs = await readEvents(next, 4);
    await w.close();
    assert.deepEqual(
      evs.map((e) => [
        e.type,
        e.key,
        e.value.toString(),
        e.modRevision,
        e.createRevision,
        e.prevValue?.toString(),
      ]),
      [
        ['put', '/live/a', 'v1', r1, r1, undefined],
        ['put', '/live/a', 'v2', r2, r1, 'v1'],
        ['delete', '/live/a', 'v2', r3, undefined, 'v2'],
        ['put', '/live/b', 'b1', r4, r4, undefined],
      ],
    );
    assert.equal(await next(), undefined, 'close() ends the iteration without a closed message');
  });

  it('without prevKv a delete carries an empty value', async () => {
    const r0 = await put(client, '/noprev/a', 'v1');
    const w = watchPrefix(client, '/noprev/', r0);
    const next = reader(w);
    const r1 = (await client.delete().key('/noprev/a').exec()).header.revision;
    const evs = await readEvents(next, 2);
    await w.close();
    assert.deepEqual(
      evs.map((e) => [e.type, e.value.toString(), e.modRevision, e.prevValue]),
      [
        ['put', 'v1', r0, undefined],
        ['delete', '', r1, undefined],
      ],
    );
  });

  it('replays history from an old revision', async () => {
    const revs: string[] = [];
    for (let i = 0; i < 20; i++) revs.push(await put(client, `/hist/k${i % 3}`, `v${i}`));
    const w = watchPrefix(client, '/hist/', revs[5]!);
    const evs = await readEvents(reader(w), 15);
    await w.close();
    assert.deepEqual(
      evs.map((e) => [e.modRevision, e.value.toString()]),
      revs.slice(5).map((r, i) => [r, `v${i + 5}`]),
    );
  });

  it('reports a compacted start revision with the compact revision', async () => {
    const before = await put(client, '/compact/a', '1');
    const at = await put(client, '/compact/a', '2');
    await put(client, '/compact/a', '3');
    await client.kv.compact({ revision: at, physical: true });
    const w = watchPrefix(client, '/compact/', before);
    const next = reader(w);
    assert.deepEqual(await next(), { kind: 'compacted', compactRevision: at });
    assert.equal(await next(), undefined);
    await w.close();
    // The compact revision itself is still watchable.
    const ok = watchPrefix(client, '/compact/', at);
    const evs = await readEvents(reader(ok), 2);
    await ok.close();
    assert.deepEqual(
      evs.map((e) => e.value.toString()),
      ['2', '3'],
    );
  });

  it('sends periodic progress notifications on an idle prefix as etcd moves on', async () => {
    const start = String(BigInt(await put(client, '/busy/x', '0')) + 1n);
    const w = watchPrefix(client, '/idle/', start, { progressNotify: true });
    const next = reader(w);
    const writer = setInterval(() => {
      put(client, '/busy/x', 'y').catch(() => {});
    }, 50);
    try {
      const seen: string[] = [];
      while (seen.length < 2) {
        const m = await next(NOTIFY_MS * 6);
        assert.equal(m?.kind, 'progress', JSON.stringify(m));
        if (m?.kind === 'progress') {
          assert.ok(BigInt(m.revision) >= BigInt(start), `${m.revision} < ${start}`);
          seen.push(m.revision);
        }
      }
      assert.ok(
        BigInt(seen[1]!) > BigInt(seen[0]!),
        `notifications did not advance: ${seen.join(', ')}`,
      );
    } finally {
      clearInterval(writer);
      await w.close();
    }
  });

  it('sends no progress notifications unless asked to', async () => {
    const start = String(BigInt(await put(client, '/busy/x', '0')) + 1n);
    const w = watchPrefix(client, '/quiet/', start);
    const next = reader(w);
    await put(client, '/busy/x', '1');
    await assert.rejects(next(NOTIFY_MS * 3), /no watch message/);
    await w.close();
  });

  // etcd 3.4.23 (measured here): a WatchProgressRequest is answered at once, from the
  // stream's control path, with an empty response of watch_id -1 whose header carries etcd's
  // current revision. etcd does not wait for this watcher to be synced, so while a watch
  // replays history the notification overtakes the events it claims to cover: a client that
  // took it as "caught up to R" would skip them. This is what etcd-io/etcd#15220 fixed in
  // later releases. Requested progress is only trustworthy once the watch has caught up.
  it('answers requestProgress at once with the current revision, even ahead of pending events (etcd 3.4)', async () => {
    const idleStart = String(BigInt(await put(client, '/busy/x', '0')) + 1n);
    const idle = watchPrefix(client, '/idle2/', idleStart);
    const nextIdle = reader(idle);
    const moved = await put(client, '/busy/x', '1');
    idle.requestProgress();
    assert.deepEqual(await nextIdle(NOTIFY_MS), { kind: 'progress', revision: moved });
    await idle.close();

    // A watch replaying a few MB of history, asked for progress before it caught up.
    const value = 'x'.repeat(20_000);
    let first = '';
    let last = '';
    for (let i = 0; i < 200; i++) {
      last = await put(client, `/replay/k${i % 20}`, value);
      first ||= last;
    }
    const w = watchPrefix(client, '/replay/', first);
    w.requestProgress();
    const next = reader(w);
    const got: string[] = [];
    let eventsBeforeProgress = -1;
    let count = 0;
    while (count < 200) {
      const m = await next();
      if (m?.kind === 'events') count += m.events.length;
      else if (m?.kind === 'progress' && eventsBeforeProgress < 0) {
        eventsBeforeProgress = count;
        got.push(m.revision);
      } else assert.fail(JSON.stringify(m));
    }
    await w.close();
    assert.deepEqual(got, [last]);
    assert.equal(
      eventsBeforeProgress,
      0,
      'the progress notification came before the replayed events',
    );
  });

  it('pauses a stream its consumer lags behind, loses nothing, and still closes promptly', async () => {
    // Live (synced) watchers get one response per revision, so the queue really fills up.
    const start = String(BigInt(await put(client, '/busy/x', '0')) + 1n);
    const w = watchPrefix(client, '/slow/', start, { highWaterMark: 2 });
    const lagging = watchPrefix(client, '/slow/', start, { highWaterMark: 2 });
    await new Promise((r) => setTimeout(r, 100)); // both created
    const revs: string[] = [];
    for (let i = 0; i < 30; i++) revs.push(await put(client, `/slow/k${i}`, `v${i}`));
    await new Promise((r) => setTimeout(r, 100)); // both filled up and paused, unread
    const evs = await readEvents(reader(w), 30);
    assert.deepEqual(
      evs.map((e) => e.modRevision),
      revs,
    );
    const t0 = Date.now();
    await lagging.close();
    assert.ok(Date.now() - t0 < 500, `close() took ${Date.now() - t0} ms`);
    assert.equal(await reader(lagging)(), undefined, 'close() drops what was not read');
    await w.close();
  });

  it('a second close() and a close() before the call opened are harmless', async () => {
    const w = watchPrefix(client, '/closing/', '1');
    await Promise.all([w.close(), w.close()]);
    assert.equal(await reader(w)(), undefined);
  });

  it('rejects a start revision that is not a positive decimal', () => {
    assert.throws(() => watchPrefix(client, '/x/', '0'), /positive decimal/);
    assert.throws(() => watchPrefix(client, '/x/', '1e3'), /positive decimal/);
  });

  // Last: it restarts etcd.
  it('ends with closed when etcd restarts, and resumes from the last revision without a gap', async () => {
    const start = String(BigInt(await put(client, '/resume/a', '0')) + 1n);
    const w = watchPrefix(client, '/resume/', start);
    const next = reader(w);
    const before = [await put(client, '/resume/a', '1'), await put(client, '/resume/b', '2')];
    const evs = await readEvents(next, 2);
    assert.deepEqual(
      evs.map((e) => e.modRevision),
      before,
    );
    await etcd.restart();
    const end = await next(15_000);
    assert.equal(end?.kind, 'closed', JSON.stringify(end));
    assert.equal(await next(), undefined);
    await w.close();

    const after = [await put(client, '/resume/a', '3'), await put(client, '/resume/c', '4')];
    const resumed = watchPrefix(client, '/resume/', String(BigInt(before[1]!) + 1n));
    const evs2 = await readEvents(reader(resumed), 2);
    await resumed.close();
    assert.deepEqual(
      evs2.map((e) => [e.modRevision, e.value.toString()]),
      [
        [after[0], '3'],
        [after[1], '4'],
      ],
    );
    assert.equal(BigInt(after[0]!), BigInt(before[1]!) + 1n, 'no write happened in between');
  });
});
