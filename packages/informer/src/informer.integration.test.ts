// The informer against the real watch path: etcd, nats-server, two watch-cache replicas
// (their real binary, publishing to NATS and serving List/Events), and thousands of writes,
// while NATS and etcd restart and a replica is killed mid-stream. The store must end equal
// to etcd.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { connectNats, dial, freePorts, HealthChecker, type NatsConnection } from '@splitplane/kit';
import { WatchCacheClient } from '@splitplane/proto';
import {
  BUILTIN_RESOURCES,
  collectionPrefix,
  objectKey,
  Scheme,
  type KubeObject,
  type ResourceDefinition,
} from '@splitplane/scheme';
import { createEtcdClient, DELETE, EtcdStorage } from '@splitplane/storage';
import {
  spawnManaged,
  startEtcd,
  startNats,
  waitFor,
  type EtcdHandle,
  type ManagedProcess,
  type NatsHandle,
} from '@splitplane/testing';
import { grpcEventHistory } from './event-history.js';
import { Informer } from './informer.js';
import { ResourceFeed } from './resource-feed.js';

const WATCH_CACHE_MAIN = fileURLToPath(
  new URL('./main.js', import.meta.resolve('@splitplane/watch-cache')),
);
const SERVICE = 'splitplane.v1.WatchCache';
const NAMESPACES = ['ns-0', 'ns-1', 'ns-2'];

const scheme = new Scheme(BUILTIN_RESOURCES);
const configmaps: ResourceDefinition = scheme.resource('', 'v1', 'configmaps')!;

let etcd: EtcdHandle;
let nats: NatsHandle;
let storage: EtcdStorage;
let nc: NatsConnection;
let client: WatchCacheClient;
const replicas: ManagedProcess[] = [];

async function startReplica(port: number): Promise<ManagedProcess> {
  const target = `127.0.0.1:${port}`;
  const health = new HealthChecker(target);
  try {
    return await spawnManaged(
      process.execPath,
      [
        WATCH_CACHE_MAIN,
        `--listen-address=${target}`,
        `--etcd-servers=${etcd.endpoint}`,
        `--nats-servers=${nats.url}`,
      ],
      {
        name: `watch-cache-${port}`,
        readyCheck: () => health.check(SERVICE),
        readyTimeoutMs: 30_000,
      },
    );
  } finally {
    health.close();
  }
}

before(async () => {
  assert.ok(existsSync(WATCH_CACHE_MAIN), `build services/watch-cache first (${WATCH_CACHE_MAIN})`);
  [etcd, nats] = await Promise.all([
    startEtcd({ progressNotifyIntervalMs: 1_000 }),
    startNats({ jetstream: false }),
  ]);
  storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
  const ports = await freePorts(2);
  replicas.push(...(await Promise.all(ports.map(startReplica))));
  client = dial(WatchCacheClient, `ipv4:${ports.map((p) => `127.0.0.1:${p}`).join(',')}`);
  nc = await connectNats({ servers: [nats.url], name: 'informer-integration' });
});

after(async () => {
  client?.close();
  await nc?.close();
  await Promise.all(replicas.map((r) => r.stop({ timeoutMs: 5_000 })));
  storage?.close();
  await Promise.all([nats?.stop(), etcd?.stop()]);
});

const key = (o: KubeObject) => `${o.metadata!.namespace}/${o.metadata!.name}`;
const rvMap = (objs: Iterable<KubeObject>) =>
  Object.fromEntries([...objs].map((o) => [key(o), o.metadata!.resourceVersion!]).sort());

/** A mirror built only from handler calls, checking each object's RVs only go forward. */
function mirror(informer: Informer) {
  const objects = new Map<string, KubeObject>();
  const problems: string[] = [];
  informer.on('add', (o) => {
    if (objects.has(key(o))) problems.push(`add of present ${key(o)}`);
    objects.set(key(o), o);
  });
  informer.on('update', (old, o) => {
    const have = objects.get(key(o));
    if (have !== old) problems.push(`update of ${key(o)} with a stale old object`);
    if (BigInt(o.metadata!.resourceVersion!) <= BigInt(old.metadata!.resourceVersion!))
      problems.push(`update of ${key(o)} went backwards`);
    objects.set(key(o), o);
  });
  informer.on('delete', (o) => {
    if (!objects.delete(key(o))) problems.push(`delete of absent ${key(o)}`);
  });
  return { objects, problems };
}

/** One writer owns its names, so its creates, updates and deletes never conflict. */
async function writer(id: number, ops: number, onOp: () => Promise<void>): Promise<void> {
  const live = new Set<string>();
  for (let i = 0; i < ops; i++) {
    const n = Math.floor(Math.random() * 25);
    const name = `w${id}-cm${n}`;
    const ns = NAMESPACES[n % NAMESPACES.length]!;
    const k = objectKey(configmaps, ns, name);
    const tier = Math.random() < 0.5 ? 'a' : 'b';
    try {
      if (!live.has(name)) {
        await storage.create(k, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: ns, labels: { tier }, uid: `${name}-${i}` },
          data: { i: String(i) },
        });
        live.add(name);
      } else if (Math.random() < 0.25) {
        await storage.guaranteedUpdate(k, () => DELETE);
        live.delete(name);
      } else {
        await storage.guaranteedUpdate(k, (cur) => ({
          ...cur!,
          metadata: { ...cur!.metadata, labels: { tier } },
          data: { i: String(i) },
        }));
      }
    } catch {
      // etcd is restarting, or a write's outcome got lost with it: learn where the key stands.
      const exists = await waitFor(
        async () => ({ present: (await storage.get(k)) !== undefined }),
        { message: `reading ${k} after a failed write`, timeoutMs: 30_000, intervalMs: 100 },
      );
      if (exists.present) live.add(name);
      else live.delete(name);
    }
    await onOp();
  }
}

describe('Informer on the real watch path', () => {
  it('ends equal to etcd after thousands of writes, NATS and etcd restarts and a replica kill', async (t) => {
    const all = new Informer({ watchCache: client, nats: nc, def: configmaps, pageSize: 100 });
    // A feed losing a fifth of its messages, healing them through the real Events RPC.
    const lossyFeed = new ResourceFeed({
      nats: nc,
      group: '',
      resource: 'configmaps',
      history: grpcEventHistory(client, '', 'configmaps'),
      dropFraction: 0.2,
    });
    const lossy = new Informer({ watchCache: client, def: configmaps, feed: lossyFeed });
    const tierA = new Informer({
      watchCache: client,
      nats: nc,
      def: configmaps,
      namespace: 'ns-1',
      labelSelector: 'tier=a',
    });
    const allMirror = mirror(all);
    const lossyMirror = mirror(lossy);
    const tierAMirror = mirror(tierA);
    // Some objects exist before the informers list.
    await writer(100, 60, async () => {});
    await Promise.all([all.start(), tierA.start(), lossy.start()]);
    assert.ok(all.hasSynced && tierA.hasSynced && lossy.hasSynced);

    const WRITERS = 6;
    const OPS = 400;
    let done = 0;
    let restarted: Promise<void> | undefined;
    let etcdRestarted: Promise<void> | undefined;
    let killed = false;
    const onOp = async () => {
      done++;
      if (done === Math.floor((WRITERS * OPS) / 4)) restarted = nats.restart();
      if (done === Math.floor((WRITERS * OPS) / 2)) etcdRestarted = etcd.restart();
      if (done === Math.floor((WRITERS * OPS * 2) / 3) && !killed) {
        killed = true;
        replicas[1]!.kill('SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i, OPS, onOp)));
    await Promise.all([restarted, etcdRestarted]);
    const final = BigInt(await storage.currentRevision());

    const informers = { all, tierA, lossy };
    try {
      for (const informer of Object.values(informers)) {
        await waitFor(() => BigInt(informer.lastSyncResourceVersion || '0') >= final, {
          message: `informer reaching revision ${final}`,
          timeoutMs: 60_000,
          intervalMs: 200,
        });
      }
    } catch (err) {
      for (const [name, informer] of Object.entries(informers)) {
        t.diagnostic(
          `${name}: at ${informer.lastSyncResourceVersion}, feed rv ${informer.feed?.rv}, ` +
            `stats ${JSON.stringify(informer.feed?.stats)}`,
        );
      }
      for (const r of replicas)
        t.diagnostic(`${r.name} (running ${r.running}):\n${await r.logTail(40)}`);
      throw err;
    }
    const truth = (await storage.list(collectionPrefix(configmaps, ''))).items;
    assert.ok(truth.length > 20, 'the writers left objects behind');
    assert.deepEqual(rvMap(all.store.list()), rvMap(truth));
    assert.deepEqual(rvMap(allMirror.objects.values()), rvMap(truth));
    assert.deepEqual(allMirror.problems, []);
    assert.deepEqual(rvMap(lossy.store.list()), rvMap(truth));
    assert.deepEqual(rvMap(lossyMirror.objects.values()), rvMap(truth));
    assert.deepEqual(lossyMirror.problems, []);
    assert.ok(lossyFeed.stats.gaps > 0, 'the lossy feed healed gaps');
    t.diagnostic(`feed: ${JSON.stringify(all.feed!.stats)}`);
    t.diagnostic(`lossy feed: ${JSON.stringify(lossyFeed.stats)}`);
    const truthA = truth.filter(
      (o) => o.metadata!.namespace === 'ns-1' && o.metadata!.labels?.tier === 'a',
    );
    assert.deepEqual(rvMap(tierA.store.list()), rvMap(truthA));
    assert.deepEqual(rvMap(tierAMirror.objects.values()), rvMap(truthA));
    assert.deepEqual(tierAMirror.problems, []);
    assert.equal(
      all.store.byIndex('namespace', 'ns-2').length,
      truth.filter((o) => o.metadata!.namespace === 'ns-2').length,
    );
    all.stop();
    tierA.stop();
    lossy.stop();
    lossyFeed.close();
  });
});
