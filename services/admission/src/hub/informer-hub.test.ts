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
import { WatchCacheHub } from './informer-hub.js';
import { builtinResource } from './resources.js';

const WATCH_CACHE_MAIN = fileURLToPath(
  new URL('./main.js', import.meta.resolve('@splitplane/watch-cache')),
);
const configmapsDef = new Scheme(BUILTIN_RESOURCES).resource('', 'v1', 'configmaps')!;
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
