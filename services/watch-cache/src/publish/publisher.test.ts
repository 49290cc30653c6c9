// Two replicas on one etcd publish byte-identical events to a real nats-server, PROGRESS
// follows once a second, and a NATS outage neither blocks nor breaks the cache.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectNats, eventsSubject, type NatsConnection } from '@splitplane/kit';
import { WatchEvent } from '@splitplane/proto';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import {
  startEtcd,
  startNats,
  waitFor,
  type EtcdHandle,
  type NatsHandle,
} from '@splitplane/testing';
import { WatchCache } from '../cache/index.js';
import {
  assertEqualsEtcd,
  catchUp,
  cmKey,
  configMap,
  quietLogger,
  scheme,
} from '../cache/test-support.js';
import { EventPublisher } from './publisher.js';

interface Received {
  subject: string;
  data: Buffer;
  event: WatchEvent;
}

describe('EventPublisher', { timeout: 90_000 }, () => {
  let etcd: EtcdHandle;
  let nats: NatsHandle;
  let storage: EtcdStorage;
  let subscriber: NatsConnection;
  const caches: WatchCache[] = [];
  const publishers: EventPublisher[] = [];
  const publisherConns: NatsConnection[] = [];
  const received: Received[] = [];

  before(async () => {
    etcd = await startEtcd();
    nats = await startNats({ jetstream: false });
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    await storage.create(cmKey('a', 'seed'), configMap('a', 'seed'));
    subscriber = await connectNats({ servers: [nats.url], name: 'test-subscriber' });
    subscriber.subscribe('splitplane.events.>', {
      callback: (err, msg) => {
        if (err) return;
        const data = Buffer.from(msg.data);
        received.push({ subject: msg.subject, data, event: WatchEvent.decode(data) });
      },
    });
    await subscriber.flush();
    for (let i = 0; i < 2; i++) {
      const log = quietLogger();
      const nc = await connectNats({ servers: [nats.url], name: `replica-${i}` });
      const cache = new WatchCache({ storage, scheme, log });
      publishers.push(new EventPublisher({ cache, nats: nc, log }));
      await cache.start();
      caches.push(cache);
      publisherConns.push(nc);
    }
  });
  after(async () => {
    for (const p of publishers) p.stop();
    for (const c of caches) await c.stop();
    for (const nc of publisherConns) await nc.close();
    await subscriber?.close();
    storage?.client.close();
    await nats?.stop();
    await etcd?.stop();
  });

  it('two replicas publish byte-identical events for every revision', async () => {
    assert.equal(caches[0]!.rv, caches[1]!.rv, 'both listed at the same revision');
    const rvs: string[] = [];
    for (let i = 0; i < 20; i++) {
      const key = cmKey(i % 2 ? 'a' : 'b', `cm-${i % 5}`);
      const ns = i % 2 ? 'a' : 'b';
      if (!(await storage.get(key))) {
        await storage.create(key, configMap(ns, `cm-${i % 5}`, { i: `${i}` }));
      } else if (i % 3 === 0) {
        await storage.delete(key);
      } else {
        const res = await storage.guaranteedUpdate(key, (cur) => ({
          ...cur!,
          data: { i: `${i}` },
        }));
        rvs.push(res.obj.metadata!.resourceVersion!);
      }
    }
    const head = await catchUp(caches[0]!);
    await catchUp(caches[1]!);
    const subject = eventsSubject('', 'configmaps');
    const events = () =>
      received.filter((r) => r.subject === subject && r.event.type !== 'PROGRESS');
    await waitFor(() => events().filter((r) => BigInt(r.event.rv) === head).length >= 2, {
      message: 'both replicas published the last event',
    });
    const byRv = new Map<string, Buffer[]>();
    for (const r of events()) byRv.set(r.event.rv, [...(byRv.get(r.event.rv) ?? []), r.data]);
    assert.ok(byRv.size >= 20, `saw ${byRv.size} revisions`);
    let last = '';
    for (const [rv, copies] of byRv) {
      assert.equal(copies.length, 2, `rv ${rv} published ${copies.length} times`);
      assert.ok(copies[0]!.equals(copies[1]!), `rv ${rv} differs between replicas`);
      const ev = WatchEvent.decode(copies[0]!);
      if (last) assert.equal(ev.prevRv, last, 'prevRv chains to the previous event');
      last = rv;
    }
    for (const rv of rvs) assert.ok(byRv.has(rv), `MODIFIED at ${rv} published`);
  });

  it('publishes PROGRESS once the position moved, for resources without events too', async () => {
    const r = (await storage.client.put('/registry/splitplane/leases/p').value('x')).header
      .revision;
    await catchUp(caches[0]!);
    const progressOf = (resource: string) =>
      received.filter(
        (m) =>
          m.subject === eventsSubject('', resource) &&
          m.event.type === 'PROGRESS' &&
          BigInt(m.event.rv) >= BigInt(r),
      );
    const secrets = await waitFor(() => progressOf('secrets')[0], { message: 'secrets PROGRESS' });
    assert.equal(secrets.event.object.length, 0);
    assert.ok(BigInt(secrets.event.prevRv) <= BigInt(secrets.event.rv));
    const cms = await waitFor(() => progressOf('configmaps')[0], {
      message: 'configmaps PROGRESS',
    });
    const lastEvent = caches[0]!.windows.window('configmaps')!.lastEventRv!;
    assert.equal(cms.event.prevRv, lastEvent.toString());
  });

  it('keeps the cache current while NATS is down, and publishes again after', async () => {
    await nats.stop().catch(() => undefined);
    for (let i = 0; i < 5; i++)
      await storage.create(cmKey('c', `down-${i}`), configMap('c', `down-${i}`));
    await catchUp(caches[0]!);
    await assertEqualsEtcd(caches[0]!, storage);
    nats = await startNats({ jetstream: false, port: nats.port });
    await waitFor(() => !publisherConns[0]!.isClosed() && publishers[0]!.droppedMessages > 0, {
      message: 'messages dropped while down',
    });
    // PROGRESS dropped during the outage goes out again once reconnected.
    const head = caches[0]!.rv;
    const since = received.length;
    await waitFor(
      () =>
        received
          .slice(since)
          .some((m) => m.event.type === 'PROGRESS' && BigInt(m.event.rv) >= head),
      { timeoutMs: 30_000, message: 'PROGRESS after reconnecting' },
    );
    const after = await storage.create(cmKey('c', 'up'), configMap('c', 'up'));
    await waitFor(
      () =>
        received.some(
          (m) => m.event.rv === after.metadata!.resourceVersion && m.event.type === 'ADDED',
        ),
      { timeoutMs: 30_000, message: 'publishing resumed' },
    );
  });
});
