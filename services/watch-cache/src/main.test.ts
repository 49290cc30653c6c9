// The watch-cache binary: health stays NOT_SERVING until the cache has loaded, then it
// serves Events and publishes to NATS.
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { call, dial, freePorts, HealthChecker } from '@splitplane/kit';
import { WatchCacheClient } from '@splitplane/proto';
import {
  spawnManaged,
  startEtcd,
  startNats,
  waitFor,
  type EtcdHandle,
  type ManagedProcess,
  type NatsHandle,
} from '@splitplane/testing';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'main.js');

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('watch-cache main', { timeout: 90_000 }, () => {
  let etcd: EtcdHandle | undefined;
  let nats: NatsHandle | undefined;
  let proc: ManagedProcess | undefined;
  let health: HealthChecker | undefined;
  after(async () => {
    health?.close();
    await proc?.stop();
    await nats?.stop();
    await etcd?.stop();
  });

  it('is NOT_SERVING until the cache has loaded from etcd, then serves Events', async () => {
    const [grpcPort, etcdPort] = await freePorts(2);
    nats = await startNats({ jetstream: false });
    const endpoint = `http://127.0.0.1:${etcdPort}`;
    proc = await spawnManaged(process.execPath, [
      MAIN,
      `--listen-address=127.0.0.1:${grpcPort}`,
      `--etcd-servers=${endpoint}`,
      `--nats-servers=${nats.url}`,
      '--event-window-seconds=30',
    ]);
    await waitFor(() => listening(grpcPort!), { message: 'gRPC port open' });
    health = new HealthChecker(`127.0.0.1:${grpcPort}`);
    assert.equal(await health.check(), false, 'not serving without etcd');
    assert.equal(await health.check('splitplane.v1.WatchCache'), false);
    etcd = await startEtcd({ clientPort: etcdPort! });
    await waitFor(() => health!.check(), { timeoutMs: 30_000, message: 'SERVING' });
    assert.equal(await health.check('splitplane.v1.WatchCache'), true);
    const client = dial(WatchCacheClient, `127.0.0.1:${grpcPort}`);
    try {
      const res = await call(client, client.events, {
        resource: { group: '', version: 'v1', resource: 'pods' },
        fromRv: '1',
        toRv: '',
      });
      assert.deepEqual(res.events, []);
      assert.match(res.throughRv, /^\d+$/);
    } finally {
      client.close();
    }
  });
});
