import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectNats, eventsSubject, type NatsConnection } from '@splitplane/kit';
import { WatchEvent } from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import { startNats, waitFor, type NatsHandle } from '@splitplane/testing';
import { Informer, type InformerOptions } from './informer.js';
import { ResourceFeed } from './resource-feed.js';
import { NAMESPACE_INDEX } from './store.js';
import { TestHistory } from './testing/test-history.js';
import { startTestWatchCache, type TestWatchCache } from './testing/test-watch-cache.js';

let nats: NatsHandle;
let pub: NatsConnection;
let nc: NatsConnection;
let counter = 0;
const cleanups: Array<() => unknown> = [];

before(async () => {
  nats = await startNats({ jetstream: false });
  pub = await connectNats({ servers: [nats.url], name: 'test-publisher' });
  nc = await connectNats({ servers: [nats.url], name: 'test-informer' });
});

after(async () => {
  for (const c of cleanups.reverse()) await c();
  await pub.close();
  await nc.close();
  await nats.stop();
});

interface Change {
  op: 'add' | 'update' | 'delete';
  key: string;
  rv: string;
}

async function setup(opts: Partial<InformerOptions> = {}, feedOpts: { giveUpMs?: number } = {}) {
  const resource = `widgets${++counter}`;
  const history = new TestHistory();
  const wc: TestWatchCache = await startTestWatchCache(history);
  cleanups.push(() => wc.stop());
  const def = { group: 'test.io', version: 'v1', resource };
  const feed = new ResourceFeed({ nats: nc, group: 'test.io', resource, history, ...feedOpts });
  cleanups.push(() => feed.close());
  const informer = new Informer({ watchCache: wc.client, def, feed, ...opts });
  cleanups.push(() => informer.stop());
  const changes: Change[] = [];
  const rec = (op: Change['op']) => (o: KubeObject) =>
    changes.push({
      op,
      key: `${o.metadata!.namespace}/${o.metadata!.name}`,
      rv: o.metadata!.resourceVersion!,
    });
  informer.on('add', rec('add'));
  informer.on('update', (_old, o) => rec('update')(o));
  informer.on('delete', rec('delete'));
  const subject = eventsSubject('test.io', resource);
  const publish = (...evs: WatchEvent[]) => {
    for (const ev of evs) pub.publish(subject, WatchEvent.encode(ev).finish());
  };
  return { history, wc, feed, informer, changes, publish };
}

/** The store as {key: rv}, to compare with what the history says. */
const storeRvs = (informer: Informer) =>
  Object.fromEntries(
    informer.store
      .list()
      .map((o) => [`${o.metadata!.namespace}/${o.metadata!.name}`, o.metadata!.resourceVersion!]),
  );
const historyRvs = (history: TestHistory, keep: (o: KubeObject) => boolean = () => true) =>
  Object.fromEntries(
    [...history.state().entries()]
      .map(([k, b]) => [k, JSON.parse(b.toString()) as KubeObject] as const)
      .filter(([, o]) => keep(o))
      .map(([k, o]) => [k, o.metadata!.resourceVersion!]),
  );

describe('Informer', () => {
  it('lists in pages, syncs, then follows live adds, updates and deletes', async () => {
    const { history, informer, changes, publish } = await setup({ pageSize: 2 });
    for (let i = 0; i < 5; i++) history.append('ADDED', `pre${i}`, i % 2 ? 'ns1' : 'ns2');
    assert.equal(informer.hasSynced, false);
    await informer.start();
    assert.equal(informer.hasSynced, true);
    assert.equal(informer.lastSyncResourceVersion, history.revision.toString());
    assert.equal(changes.length, 5);
    assert.ok(changes.every((c) => c.op === 'add'));
    assert.equal(informer.store.byIndex(NAMESPACE_INDEX, 'ns1').length, 2);

    publish(
      history.append('ADDED', 'new', 'ns1'),
      history.append('MODIFIED', 'pre0', 'ns2'),
      history.append('DELETED', 'pre1', 'ns1'),
    );
    await waitFor(() => changes.length === 8, { message: 'live changes' });
    assert.deepEqual(
      changes.slice(5).map((c) => `${c.op} ${c.key}`),
      ['add ns1/new', 'update ns2/pre0', 'delete ns1/pre1'],
    );
    assert.deepEqual(storeRvs(informer), historyRvs(history));
    assert.equal(informer.store.get('ns1', 'pre1'), undefined);
    assert.equal(informer.lastSyncResourceVersion, history.revision.toString());
  });

  it('turns selector transitions into adds and deletes, and honours the namespace', async () => {
    const { history, informer, changes, publish } = await setup({
      labelSelector: 'app=web',
      namespace: 'ns1',
    });
    history.append('ADDED', 'a', 'ns1', 0n, { app: 'web' });
    history.append('ADDED', 'b', 'ns1', 0n, { app: 'db' });
    history.append('ADDED', 'c', 'ns2', 0n, { app: 'web' });
    await informer.start();
    assert.deepEqual(
      changes.map((c) => `${c.op} ${c.key}`),
      ['add ns1/a'],
    );
    publish(
      history.append('MODIFIED', 'a', 'ns1', 0n, { app: 'db' }), // leaves
      history.append('MODIFIED', 'b', 'ns1', 0n, { app: 'web' }), // enters
      history.append('MODIFIED', 'b', 'ns1', 0n, { app: 'web', v: '2' }), // stays
      history.append('MODIFIED', 'c', 'ns2', 0n, { app: 'web', v: '2' }), // other namespace
      history.append('DELETED', 'a', 'ns1', 0n, { app: 'db' }), // not in view: nothing
    );
    await waitFor(() => informer.lastSyncResourceVersion === history.revision.toString(), {
      message: 'caught up',
    });
    assert.deepEqual(
      changes.map((c) => `${c.op} ${c.key}`),
      ['add ns1/a', 'delete ns1/a', 'add ns1/b', 'update ns1/b'],
    );
    assert.deepEqual(
      storeRvs(informer),
      historyRvs(
        history,
        (o) => o.metadata?.namespace === 'ns1' && o.metadata.labels?.app === 'web',
      ),
    );
  });

  it('relists after a 410 and emits exactly the differences', async () => {
    const { history, informer, changes, publish } = await setup();
    history.append('ADDED', 'keep');
    history.append('ADDED', 'change');
    history.append('ADDED', 'gone');
    await informer.start();
    changes.length = 0;
    // Missed by the feed, and gone from history by the time it notices.
    history.append('MODIFIED', 'change');
    history.append('DELETED', 'gone');
    history.append('ADDED', 'fresh');
    history.oldest = history.revision;
    history.advance(1n);
    publish(history.progress());
    await waitFor(() => changes.length === 3, { message: 'relist differences' });
    assert.deepEqual(changes.map((c) => `${c.op} ${c.key}`).sort(), [
      'add default/fresh',
      'delete default/gone',
      'update default/change',
    ]);
    assert.deepEqual(storeRvs(informer), historyRvs(history));
    // And it follows live events again.
    publish(history.append('MODIFIED', 'keep'));
    await waitFor(() => changes.length === 4, { message: 'live after relist' });
    assert.deepEqual(storeRvs(informer), historyRvs(history));
  });

  it('resumes from its last RV after a clean end', async () => {
    const { history, informer, changes, publish, wc } = await setup({}, { giveUpMs: 300 });
    history.append('ADDED', 'a');
    await informer.start();
    const listsBefore = wc.listCalls;
    history.down = true;
    history.append('ADDED', 'b'); // lost
    publish(history.append('ADDED', 'c'));
    // The feed cannot heal, gives up and ends the informer's subscription cleanly.
    await waitFor(() => history.calls.length >= 2, { message: 'heal attempts' });
    history.down = false;
    await waitFor(() => changes.length === 3, { message: 'resumed', timeoutMs: 15_000 });
    assert.deepEqual(
      changes.map((c) => `${c.op} ${c.key}`),
      ['add default/a', 'add default/b', 'add default/c'],
    );
    assert.equal(wc.listCalls, listsBefore, 'resumed without a relist');
    assert.deepEqual(storeRvs(informer), historyRvs(history));
  });

  it('rejects start() with the Status of a list the server refuses, and cleans up', async () => {
    const wc = await startTestWatchCache(new TestHistory());
    cleanups.push(() => wc.stop());
    // The informer accepts spec.x; the server's ConfigMaps have no such field: 400.
    const informer = new Informer({
      watchCache: wc.client,
      nats: nc,
      def: { group: '', version: 'v1', resource: 'configmaps', selectableFields: ['spec.x'] },
      fieldSelector: 'spec.x=1',
    });
    cleanups.push(() => informer.stop());
    await assert.rejects(
      informer.start(),
      (err: unknown) => (err as { code?: number }).code === 400,
    );
    assert.equal(informer.feed?.closed, true, 'its own feed is closed again');
    assert.equal(informer.hasSynced, false);
  });

  it('refuses a bad selector with the 400 kube would answer', () => {
    assert.throws(
      () =>
        new Informer({
          watchCache: {} as never,
          nats: nc,
          def: { group: '', version: 'v1', resource: 'pods' },
          labelSelector: 'a in (',
        }),
      (err: unknown) => (err as { code?: number }).code === 400,
    );
  });
});
