// A cache that cannot catch up never falls back to etcd and never answers 500: consistent
// reads end with kube's 504s.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { objectKey } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { createWatchCache, type WatchCache } from '../cache/index.js';
import { createReadService, type ReadService } from './index.js';
import {
  attributes,
  cm,
  configmaps,
  listRequest,
  quietLogger,
  rejectsWith,
  scheme,
} from './test-support.js';

describe('reads from a cache that cannot catch up', { timeout: 120_000 }, () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;
  let cache: WatchCache;
  let reads: ReadService;

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    await storage.create(objectKey(configmaps, 'a', 'one'), cm('a', 'one'));
    cache = await createWatchCache({ storage, scheme, log: quietLogger() });
    reads = createReadService({ scheme, storage, cache });
    // The cache stops following etcd: it keeps what it has, and etcd moves on.
    await cache.stop();
    await storage.create(objectKey(configmaps, 'a', 'two'), cm('a', 'two'));
  });
  after(async () => {
    storage?.client.close();
    await etcd?.stop();
  });

  it('a consistent read times out with "Too large resource version", not etcd data', async () => {
    const current = cache.rv;
    const errors = await Promise.all(
      [
        reads.list(listRequest('a'), undefined),
        reads.get({ attributes: attributes('a', 'two'), resourceVersion: '' }, undefined),
      ].map((read) =>
        rejectsWith(read, {
          code: 504,
          reason: 'Timeout',
          details: {
            causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
            retryAfterSeconds: 1,
          },
        }),
      ),
    );
    for (const err of errors)
      assert.match(
        err.message,
        new RegExp(`^Timeout: Too large resource version: \\d+, current: ${current}$`),
      );
    // What the cache has is still served for "0".
    const any = await reads.list(listRequest('a', { resourceVersion: '0' }), undefined);
    assert.equal(any.items.length, 1);
  });

  it('an unreachable etcd makes a consistent read a 504, never a 500', async () => {
    await etcd.stop();
    const deadline = new Date(Date.now() + 1_500);
    const err = await rejectsWith(reads.list(listRequest('a'), deadline), {});
    assert.equal(err.code, 504, err.message);
  });
});
