// The Events RPC over real gRPC, from a real cache on a real etcd: ranges, "through now",
// 410 Expired for history the window no longer has, and waiting for a future revision.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import { call, dial, startGrpcServer, type GrpcServerHandle } from '@splitplane/kit';
import { WatchCacheClient, type EventsRequest } from '@splitplane/proto';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { createWatchCache, type WatchCache } from '../cache/index.js';
import { catchUp, cmKey, configMap, quietLogger, scheme } from '../cache/test-support.js';
import { watchCacheService } from '../server.js';

const request = (fromRv: string, toRv = '', resource = 'configmaps'): EventsRequest => ({
  resource: { group: '', version: 'v1', resource },
  fromRv,
  toRv,
});

function expectStatus(code: number, reason: string, message?: string) {
  return (err: unknown) => {
    assert.ok(err instanceof StatusError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.status.reason, reason);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  };
}

describe('Events RPC', { timeout: 60_000 }, () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;
  let cache: WatchCache;
  let server: GrpcServerHandle;
  let client: InstanceType<typeof WatchCacheClient>;
  const rvs: string[] = [];
  let startRv: bigint;

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    await storage.create(cmKey('a', 'before'), configMap('a', 'before'));
    // Keep only three events per window, so older history is gone.
    cache = await createWatchCache({
      storage,
      scheme,
      log: quietLogger(),
      windowLimits: { maxEvents: 3 },
    });
    startRv = cache.rv;
    server = await startGrpcServer('127.0.0.1:0', [watchCacheService(scheme, storage, cache)]);
    client = dial(WatchCacheClient, `127.0.0.1:${server.port}`);
    for (let i = 0; i < 5; i++) {
      const obj = await storage.create(cmKey('a', `cm-${i}`), configMap('a', `cm-${i}`));
      rvs.push(obj.metadata!.resourceVersion!);
    }
    await catchUp(cache);
  });
  after(async () => {
    client?.close();
    await server?.stop();
    await cache?.stop();
    storage?.client.close();
    await etcd?.stop();
  });

  it('returns the events in (fromRv, toRv] with throughRv = toRv', async () => {
    const res = await call(client, client.events, request(rvs[2]!, rvs[3]!));
    assert.deepEqual(
      res.events.map((e) => [e.type, e.rv, e.prevRv, e.namespace, e.name]),
      [['ADDED', rvs[3], rvs[2], 'a', 'cm-3']],
    );
    assert.equal(res.throughRv, rvs[3]);
    assert.equal(JSON.parse(res.events[0]!.object.toString()).metadata.resourceVersion, rvs[3]);
  });

  it('without toRv answers through the current revision', async () => {
    const res = await call(client, client.events, request(rvs[2]!));
    assert.deepEqual(
      res.events.map((e) => e.rv),
      [rvs[3], rvs[4]],
    );
    assert.equal(res.throughRv, cache.rv.toString());
    const other = await call(client, client.events, request(rvs[2]!, '', 'secrets'));
    assert.deepEqual(other.events, []);
  });

  it("is 410 Expired with kube's message once the history is gone", async () => {
    const oldest = cache.windows.oldestResumableRv('configmaps');
    assert.ok(oldest > startRv);
    await assert.rejects(
      call(client, client.events, request(startRv.toString())),
      expectStatus(410, 'Expired', `too old resource version: ${startRv} (${oldest})`),
    );
  });

  it('waits for a future revision, and is a 504 at the deadline', async () => {
    const future = (cache.rv + 1n).toString();
    const waiting = call(client, client.events, request(rvs[4]!, future), {
      deadline: new Date(Date.now() + 20_000),
    });
    const obj = await storage.create(cmKey('a', 'later'), configMap('a', 'later'));
    const res = await waiting;
    assert.equal(res.throughRv, future);
    assert.deepEqual(
      res.events.map((e) => e.rv),
      obj.metadata!.resourceVersion === future ? [future] : [],
    );
    await assert.rejects(
      call(client, client.events, request((cache.rv + 1000n).toString()), {
        deadline: new Date(Date.now() + 500),
      }),
      expectStatus(504, 'Timeout'),
    );
  });

  it('rejects malformed revisions and an unknown resource', async () => {
    await assert.rejects(
      call(client, client.events, request('abc')),
      expectStatus(400, 'BadRequest'),
    );
    await assert.rejects(
      call(client, client.events, request('5', '4')),
      expectStatus(400, 'BadRequest'),
    );
    await assert.rejects(
      call(client, client.events, request('1', '', 'nothings')),
      expectStatus(404, 'NotFound'),
    );
  });
});
