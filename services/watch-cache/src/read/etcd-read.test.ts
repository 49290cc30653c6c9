// Reads without a cache (--watch-cache=false) keep kube's store semantics and wording, and
// continue tokens are one format: a page from the cache resumes from etcd and back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collectionPrefix, objectKey } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { createWatchCache, type WatchCache } from '../cache/index.js';
import { createReadService, type ReadService } from './index.js';
import {
  attributes,
  cm,
  configmaps,
  listRequest,
  names,
  quietLogger,
  rejectsWith,
  scheme,
  texts,
} from './test-support.js';

describe('reads straight from etcd (--watch-cache=false)', { timeout: 120_000 }, () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;
  let cache: WatchCache;
  let fromEtcd: ReadService;
  let fromCache: ReadService;

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    for (let i = 0; i < 6; i++)
      await storage.create(objectKey(configmaps, 'e', `e-${i}`), cm('e', `e-${i}`));
    cache = await createWatchCache({ storage, scheme, log: quietLogger() });
    fromEtcd = createReadService({ scheme, storage });
    fromCache = createReadService({ scheme, storage, cache });
  });
  after(async () => {
    await cache?.stop();
    storage?.client.close();
    await etcd?.stop();
  });

  it('pages and gets as before', async () => {
    const first = await fromEtcd.list(listRequest('e', { limit: '4' }), undefined);
    assert.deepEqual(names(first.items), ['e-0', 'e-1', 'e-2', 'e-3']);
    assert.equal(first.remainingItemCount, '2');
    const got = await fromEtcd.get(
      { attributes: attributes('e', 'e-1'), resourceVersion: '' },
      undefined,
    );
    assert.equal(JSON.parse(got.object.toString()).metadata.name, 'e-1');
  });

  it('continue tokens resume across the cache and etcd paths at the same revision', async () => {
    const cachePage = await fromCache.list(listRequest('e', { limit: '2' }), undefined);
    await storage.create(objectKey(configmaps, 'e', 'e-2b'), cm('e', 'e-2b'));
    const etcdPage = await fromEtcd.list(
      listRequest('e', { limit: '2', continue: cachePage.continue }),
      undefined,
    );
    assert.equal(etcdPage.resourceVersion, cachePage.resourceVersion);
    const backToCache = await fromCache.list(
      listRequest('e', { limit: '10', continue: etcdPage.continue }),
      undefined,
    );
    assert.equal(backToCache.resourceVersion, cachePage.resourceVersion);
    const whole = await storage.listRaw(collectionPrefix(configmaps, 'e'), {
      revision: cachePage.resourceVersion,
    });
    assert.deepEqual(
      texts([...cachePage.items, ...etcdPage.items, ...backToCache.items]),
      texts(whole.items),
    );
  });

  it("a resourceVersion newer than etcd's is the store's Too large resource version", async () => {
    const current = BigInt((await fromEtcd.list(listRequest('e'), undefined)).resourceVersion);
    const requested = (current + 100n).toString();
    const err = await rejectsWith(
      fromEtcd.list(listRequest('e', { resourceVersion: requested }), undefined),
      {
        code: 504,
        reason: 'Timeout',
        details: {
          causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        },
      },
    );
    assert.match(
      err.message,
      new RegExp(`^Timeout: Too large resource version: ${requested}, current: \\d+$`),
    );
  });

  it('rejects malformed options exactly as the cache path does', async () => {
    for (const reads of [fromEtcd, fromCache]) {
      await rejectsWith(reads.list(listRequest('e', { resourceVersion: 'x1' }), undefined), {
        code: 400,
        reason: 'BadRequest',
        message:
          'resourceVersion: Invalid value: "x1": strconv.ParseUint: parsing "x1": invalid syntax',
      });
      await rejectsWith(
        reads.get({ attributes: attributes('e', 'e-1'), resourceVersion: 'x1' }, undefined),
        { code: 400, reason: 'BadRequest' },
      );
      await rejectsWith(
        reads.list(
          listRequest('e', { resourceVersion: '0', resourceVersionMatch: 'Exact' }),
          undefined,
        ),
        { code: 422, reason: 'Invalid' },
      );
      await rejectsWith(reads.list(listRequest('e', { continue: 'e30', limit: '1' }), undefined), {
        code: 400,
        reason: 'BadRequest',
      });
    }
  });
});
