// The authz binary: with RBAC, health stays NOT_SERVING until the RBAC informers have
// synced from the watch-cache, then it serves decisions from them.
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { call, dial, freePorts, HealthChecker } from '@splitplane/kit';
import { AuthorizerClient, Decision } from '@splitplane/proto';
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
const WATCH_CACHE_MAIN = join(
  dirname(fileURLToPath(import.meta.resolve('@splitplane/watch-cache'))),
  'main.js',
);

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('authz main', { timeout: 120_000 }, () => {
  let etcd: EtcdHandle | undefined;
  let nats: NatsHandle | undefined;
  let authz: ManagedProcess | undefined;
  let watchCache: ManagedProcess | undefined;
  let health: HealthChecker | undefined;
  after(async () => {
    health?.close();
    await authz?.stop();
    await watchCache?.stop();
    await nats?.stop();
    await etcd?.stop();
  });

  it('is NOT_SERVING until the RBAC informers have synced, then decides', async () => {
    const [authzPort, watchCachePort] = await freePorts(2);
    etcd = await startEtcd();
    nats = await startNats({ jetstream: false });
    authz = await spawnManaged(process.execPath, [
      MAIN,
      `--listen-address=127.0.0.1:${authzPort}`,
      '--authorization-mode=RBAC',
      `--watch-cache-address=127.0.0.1:${watchCachePort}`,
      `--nats-servers=${nats.url}`,
    ]);
    await waitFor(() => listening(authzPort!), { message: 'authz gRPC port open' });
    health = new HealthChecker(`127.0.0.1:${authzPort}`);
    assert.equal(await health.check(), false, 'not serving without the watch-cache');
    assert.equal(await health.check('splitplane.v1.Authorizer'), false);

    watchCache = await spawnManaged(process.execPath, [
      WATCH_CACHE_MAIN,
      `--listen-address=127.0.0.1:${watchCachePort}`,
      `--etcd-servers=${etcd.endpoint}`,
      `--nats-servers=${nats.url}`,
    ]);
    await waitFor(() => health!.check('splitplane.v1.Authorizer'), {
      timeoutMs: 60_000,
      message: 'authz SERVING once synced',
    });
    const client = dial(AuthorizerClient, `127.0.0.1:${authzPort}`);
    try {
      const r = await call(client, client.authorize, {
        user: { username: 'alice', uid: '', groups: ['system:authenticated'], extra: {} },
        verb: 'get',
        resourceRequest: true,
        path: '',
        apiGroup: '',
        apiVersion: 'v1',
        resource: 'pods',
        subresource: '',
        namespace: 'default',
        name: '',
      });
      // No bindings at all: RBAC has no opinion (it never denies).
      assert.equal(r.decision, Decision.DECISION_NO_OPINION);
    } finally {
      client.close();
    }
  });
});
