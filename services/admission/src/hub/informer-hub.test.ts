// The hub against the real watch path: etcd, nats-server and a watch-cache (its binary).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import { connectNats, dial, freePort, HealthChecker, type NatsConnection } from '@splitplane/kit';
import { WatchCacheClient } from '@splitplane/proto';
import { BUILTIN_RESOURCES, objectKey, Scheme, type KubeObject } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import {
  spawnManaged,
  startEtcd,
  startNats,
  waitFor,
  type EtcdHandle,
  type ManagedProcess,
  type NatsHandle,
} from '@splitplane/testing';
import { LiveNamespaceLister } from '../sources/namespace-lister.js';
import { WatchCacheHub } from './informer-hub.js';
import { builtinResource } from './resources.js';

const WATCH_CACHE_MAIN = fileURLToPath(
  new URL('./main.js', import.meta.resolve('@splitplane/watch-cache')),
);
const scheme = new Scheme(BUILTIN_RESOURCES);
const configmapsDef = scheme.resource('', 'v1', 'configmaps')!;
const namespacesDef = scheme.resource('', 'v1', 'namespaces')!;
const configmaps = builtinResource('', 'v1', 'configmaps');

const configMap = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, uid: `${namespace}-${name}` },
  data: { k: name },
});

describe('WatchCacheHub', { timeout: 120_000 }, () => {
  let etcd: EtcdHandle;
  let nats: NatsHandle;
  let storage: EtcdStorage;
  let watchCache: ManagedProcess;
  let client: WatchCacheClient;
  let nc: NatsConnection;
  let hub: WatchCacheHub;

  before(async () => {
    assert.ok(existsSync(WATCH_CACHE_MAIN), `build services/watch-cache first`);
    [etcd, nats] = await Promise.all([startEtcd(), startNats({ jetstream: false })]);
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    await storage.create(objectKey(configmapsDef, 'a', 'before'), configMap('a', 'before'));
    const target = `127.0.0.1:${await freePort()}`;
    const health = new HealthChecker(target);
    try {
      watchCache = await spawnManaged(
        process.execPath,
        [
          WATCH_CACHE_MAIN,
          `--listen-address=${target}`,
          `--etcd-servers=${etcd.endpoint}`,
          `--nats-servers=${nats.url}`,
        ],
        {
          name: 'watch-cache',
          readyCheck: () => health.check('splitplane.v1.WatchCache'),
          readyTimeoutMs: 60_000,
        },
      );
    } finally {
      health.close();
    }
    client = dial(WatchCacheClient, target);
    nc = await connectNats({ servers: [nats.url], name: 'hub-test' });
    hub = new WatchCacheHub({ watchCache: client, nats: nc });
  });

  after(async () => {
    hub?.stop();
    client?.close();
    await nc?.close();
    await watchCache?.stop({ timeoutMs: 5_000 });
    storage?.close();
    await Promise.all([nats?.stop(), etcd?.stop()]);
  });

  it('shares one informer per resource, synced with what exists and following changes', async () => {
    const informer = hub.informer(configmaps);
    assert.equal(hub.informer({ ...configmaps }), informer);
    await hub.waitForSync();
    assert.ok(hub.hasSynced);
    assert.equal(informer.store.get('a', 'before')?.['data']?.['k' as never], 'before');
    await storage.create(objectKey(configmapsDef, 'b', 'after'), configMap('b', 'after'));
    await waitFor(() => informer.store.get('b', 'after') !== undefined, {
      message: 'the informer sees a new object',
    });
  });

  it('reads live: get (undefined when absent) and list by namespace', async () => {
    await storage.create(objectKey(configmapsDef, 'a', 'second'), configMap('a', 'second'));
    const got = await hub.get(configmaps, 'a', 'second');
    assert.equal(got?.metadata?.name, 'second');
    assert.equal(await hub.get(configmaps, 'a', 'missing'), undefined);
    const names = (await hub.list(configmaps, 'a')).map((o) => o.metadata?.name).sort();
    assert.deepEqual(names, ['before', 'second']);
    assert.deepEqual(await hub.list(configmaps, 'empty'), []);
  });

  it('finds a namespace just created, from the informer or live, for namespaceSelectors', async () => {
    const lister = new LiveNamespaceLister(hub);
    await hub.waitForSync();
    await storage.create(objectKey(namespacesDef, '', 'fresh'), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'fresh', uid: 'fresh', labels: { team: 'a' } },
    });
    const attributes = { namespace: 'fresh' } as Parameters<LiveNamespaceLister['prefetch']>[0];
    await lister.prefetch(attributes);
    assert.deepEqual(lister.get('fresh')?.metadata?.labels, { team: 'a' });
    await lister.prefetch({ ...attributes, namespace: 'never' });
    assert.equal(lister.get('never'), undefined);
  });

  it('reports a resource the watch-cache does not serve when waiting for sync', async () => {
    const other = new WatchCacheHub({ watchCache: client, nats: nc });
    try {
      other.informer({ group: 'nope.example.com', version: 'v1', resource: 'things' });
      await assert.rejects(other.waitForSync(), (err: unknown) => {
        assert.ok(err instanceof StatusError);
        assert.equal(err.code, 404);
        return true;
      });
    } finally {
      other.stop();
    }
  });
});
