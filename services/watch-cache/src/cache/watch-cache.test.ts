// The cache against a real etcd 3.4: equality with etcd after random writes, skipped keys,
// compaction, progress requests for writes outside the prefix, and an etcd restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd, waitFor, type EtcdHandle } from '@splitplane/testing';
import type { Etcd3 } from 'etcd3';
import type { WindowEvent } from '../window/index.js';
import {
  assertEqualsEtcd,
  catchUp,
  cmKey,
  configMap,
  configmaps,
  quietLogger,
  scheme,
} from './test-support.js';
import { createWatchCache, type WatchCache } from './watch-cache.js';

const NAMESPACES = ['ns-a', 'ns-b', 'ns-c'];

function random<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

async function randomWrites(storage: EtcdStorage, count: number, writer = 'w'): Promise<void> {
  for (let i = 0; i < count; i++) {
    const ns = random(NAMESPACES);
    const name = `${writer}-cm-${Math.floor(Math.random() * 12)}`;
    const key = cmKey(ns, name);
    const roll = Math.random();
    if (roll < 0.1) {
      await storage.client.put(`/registry/splitplane/leases/test-${i % 3}`).value(`${i}`);
      continue;
    }
    const existing = await storage.get(key);
    if (!existing) {
      await storage.create(key, configMap(ns, name, { i: `${i}` }, { app: random(['x', 'y']) }));
    } else if (roll < 0.4) {
      await storage.delete(key);
    } else {
      await storage.guaranteedUpdate(key, (cur) => ({
        ...cur!,
        data: { i: `${i}` },
        metadata: { ...cur!.metadata, labels: { app: random(['x', 'y', 'z']) } },
      }));
    }
  }
}

describe('WatchCache against a real etcd', { timeout: 120_000 }, () => {
  let etcd: EtcdHandle;
  let client: Etcd3;
  let storage: EtcdStorage;
  let cache: WatchCache;

  before(async () => {
    etcd = await startEtcd({ progressNotifyIntervalMs: 60_000 });
    client = createEtcdClient({ servers: [etcd.endpoint] });
    storage = new EtcdStorage(client);
    await randomWrites(storage, 40);
    cache = await createWatchCache({ storage, scheme, log: quietLogger() });
  });
  after(async () => {
    await cache?.stop();
    client?.close();
    await etcd?.stop();
  });

  it('loads what etcd holds and stays equal to it through random writes', async () => {
    assert.equal(cache.ready, true);
    await assertEqualsEtcd(cache, storage);
    await randomWrites(storage, 300);
    await catchUp(cache);
    await assertEqualsEtcd(cache, storage);
    assert.ok(cache.resource(configmaps).size > 0);
  });

  it('stays equal to etcd under concurrent writers', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, w) => randomWrites(storage, 40, `writer${w}`)));
    await catchUp(cache);
    await assertEqualsEtcd(cache, storage);
  });

  it('records ADDED, MODIFIED and DELETED with prevRv chains and selector data', async () => {
    const seen: WindowEvent[] = [];
    const off = cache.onEvent((route, ev) => {
      if (route.def === configmaps) seen.push(ev);
    });
    const key = cmKey('ns-events', 'one');
    await storage.create(key, configMap('ns-events', 'one', { a: '1' }, { tier: 'web' }));
    const cached = () => cache.resource(configmaps).get(key);
    await catchUp(cache);
    assert.deepEqual(cached()?.labels, { tier: 'web' });
    assert.equal(cached()?.fields['metadata.namespace'], 'ns-events');
    await storage.guaranteedUpdate(key, (cur) => ({ ...cur!, data: { a: '2' } }));
    await storage.delete(key);
    await catchUp(cache);
    off();
    const mine = seen.filter((e) => e.key === key);
    assert.deepEqual(
      mine.map((e) => e.type),
      ['ADDED', 'MODIFIED', 'DELETED'],
    );
    const [added, modified, deleted] = mine as [WindowEvent, WindowEvent, WindowEvent];
    const rvOf = (b: Uint8Array | undefined) =>
      (JSON.parse(Buffer.from(b!).toString()) as { metadata: { resourceVersion: string } }).metadata
        .resourceVersion;
    assert.equal(rvOf(added.object), added.rv.toString());
    assert.equal(rvOf(modified.object), modified.rv.toString());
    assert.equal(rvOf(modified.prevObject), added.rv.toString());
    assert.equal(rvOf(deleted.object), deleted.rv.toString());
    // The window keeps the state before the delete (exact reads need it); the wire does not.
    assert.equal(rvOf(deleted.prevObject), modified.rv.toString());
    assert.equal(modified.prevRv, added.rv);
    assert.equal(deleted.prevRv, modified.rv);
    assert.equal(cached(), undefined);
  });

  it('skips /registry/splitplane/ and unknown keys but advances its revision', async () => {
    const r = (await client.put('/registry/splitplane/leases/x').value('1')).header.revision;
    await client.put('/registry/unknownthings/a').value('{}');
    await catchUp(cache);
    assert.ok(cache.rv >= BigInt(r));
    assert.equal(
      cache.windows.resources().some((k) => k.includes('splitplane')),
      false,
    );
    await assertEqualsEtcd(cache, storage);
  });

  it('a consistent wait finishes after a write outside /registry/ (progress request)', async () => {
    // Periodic notifications are a minute apart here, so only a requested one can help.
    await storage.create(cmKey('ns-a', 'sync-1'), configMap('ns-a', 'sync-1'));
    await catchUp(cache);
    await storage.create(cmKey('ns-a', 'sync-2'), configMap('ns-a', 'sync-2'));
    await catchUp(cache);
    await waitFor(() => cache.synced, { message: 'watch synced', timeoutMs: 20_000 });
    for (let i = 0; i < 3; i++) {
      const r = BigInt((await client.put('/outside/x').value(`${i}`)).header.revision);
      assert.ok(await cache.waitUntil(r, Date.now() + 20_000), `stuck below ${r}`);
    }
  });

  it('waits for a future revision until the deadline, and honours abort', async () => {
    const far = cache.rv + 1_000_000n;
    assert.equal(await cache.waitUntil(far, Date.now() + 300), false);
    const ac = new AbortController();
    const waiting = cache.waitUntil(far, Date.now() + 60_000, ac.signal);
    ac.abort();
    assert.equal(await waiting, false);
  });

  // These restart etcd.
  it('resumes after an etcd restart without relisting or missing events', async () => {
    await randomWrites(storage, 50);
    await catchUp(cache);
    const generation = cache.generation;
    const seen: bigint[] = [];
    const off = cache.onEvent((_, ev) => seen.push(ev.rv));
    const before = BigInt(
      (await storage.create(cmKey('ns-b', 'pre'), configMap('ns-b', 'pre'))).metadata!
        .resourceVersion!,
    );
    await etcd.restart();
    const afterCreate = await waitFor(
      async () => storage.create(cmKey('ns-b', 'post'), configMap('ns-b', 'post')),
      { timeoutMs: 30_000, message: 'etcd back' },
    );
    await randomWrites(storage, 30);
    await catchUp(cache, 30_000);
    off();
    await assertEqualsEtcd(cache, storage);
    assert.equal(cache.generation, generation, 'resumed without relisting');
    assert.ok(seen.includes(before));
    assert.ok(seen.includes(BigInt(afterCreate.metadata!.resourceVersion!)));
    for (let i = 1; i < seen.length; i++)
      assert.ok(seen[i]! > seen[i - 1]!, 'in order, no repeats');
  });

  it('relists when its watch start was compacted while etcd was away', async () => {
    // A second cache that waits long before re-watching, so the compaction lands first.
    const slow = await createWatchCache({
      storage,
      scheme,
      log: quietLogger(),
      minBackoffMs: 8_000,
      maxBackoffMs: 8_000,
    });
    try {
      await catchUp(slow);
      assert.equal(slow.generation, 0);
      await etcd.restart();
      await waitFor(async () => storage.currentRevision(), {
        timeoutMs: 30_000,
        message: 'etcd back',
      });
      await randomWrites(storage, 30);
      const head = (await client.put('/registry/splitplane/leases/c').value('c')).header.revision;
      await client.kv.compact({ revision: head, physical: true });
      await waitFor(() => slow.generation === 1, { timeoutMs: 60_000, message: 'relist' });
      await catchUp(slow);
      await assertEqualsEtcd(slow, storage);
      await randomWrites(storage, 30);
      await catchUp(slow);
      await assertEqualsEtcd(slow, storage);
      await catchUp(cache);
      await assertEqualsEtcd(cache, storage);
    } finally {
      await slow.stop();
    }
  });
});
