// Exact reads from the cache: lists as of a past revision rebuilt from the event window,
// paging at one snapshot while writers change the collection, and 410s once history is gone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, dial, startGrpcServer, unary, type GrpcServerHandle } from '@splitplane/kit';
import {
  WatchCacheClient,
  WatchCacheService,
  type ListRequest,
  type ListResponse,
} from '@splitplane/proto';
import { collectionPrefix, objectKey, type KubeObject } from '@splitplane/scheme';
import { createEtcdClient, decodeContinue, encodeContinue, EtcdStorage } from '@splitplane/storage';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { createWatchCache, type WatchCache } from '../cache/index.js';
import { CONTINUE_EXPIRED_MESSAGE } from './errors.js';
import { createReadService, type ReadService } from './index.js';
import {
  cm,
  configmaps,
  listRequest,
  names,
  quietLogger,
  rejectsWith,
  scheme,
  texts,
} from './test-support.js';

const key = (ns: string, name: string) => objectKey(configmaps, ns, name);
const parity = (i: number) => (i % 2 ? 'odd' : 'even');

describe('exact reads and paging from the watch cache', { timeout: 120_000 }, () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;
  let cache: WatchCache;
  let reads: ReadService;

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    for (let i = 0; i < 10; i++)
      await storage.create(key('x', `x-${i}`), cm('x', `x-${i}`, { parity: parity(i) }));
    await storage.create(key('y', 'y-0'), cm('y', 'y-0', { parity: 'even' }));
    cache = await createWatchCache({ storage, scheme, log: quietLogger() });
    reads = createReadService({ scheme, storage, cache });
  });
  after(async () => {
    await cache?.stop();
    storage?.client.close();
    await etcd?.stop();
  });

  /** Follows continue tokens to the end; every page must be at the first page's revision. */
  async function allPages(first: ListRequest): Promise<{ items: Buffer[]; pages: ListResponse[] }> {
    const pages: ListResponse[] = [await reads.list(first, undefined)];
    while (pages.at(-1)!.continue) {
      const next = listRequest(first.attributes!.namespace, {
        ...first.options!,
        resourceVersion: '',
        resourceVersionMatch: '',
        continue: pages.at(-1)!.continue,
      });
      pages.push(await reads.list(next, undefined));
    }
    for (const p of pages) assert.equal(p.resourceVersion, pages[0]!.resourceVersion);
    return { items: pages.flatMap((p) => p.items), pages };
  }

  it('lists as of a past revision byte for byte as etcd does, whatever changed since', async () => {
    const at = (await reads.list(listRequest('x'), undefined)).resourceVersion;
    // Every kind of change after `at`: update, delete, create, relabel, delete+recreate.
    await storage.guaranteedUpdate(key('x', 'x-1'), (cur) => ({ ...cur!, data: { v: '2' } }));
    await storage.delete(key('x', 'x-2'));
    await storage.create(key('x', 'x-2a'), cm('x', 'x-2a', { parity: 'even' }));
    await storage.guaranteedUpdate(key('x', 'x-3'), (cur) => ({
      ...cur!,
      metadata: { ...cur!.metadata, labels: { parity: 'even' } },
    }));
    await storage.delete(key('x', 'x-5'));
    await storage.create(key('x', 'x-5'), cm('x', 'x-5', { parity: 'odd' }, { again: 'yes' }));
    await storage.delete(key('x', 'x-9'));
    await storage.create(key('y', 'y-1'), cm('y', 'y-1'));
    await storage.guaranteedUpdate(key('x', 'x-1'), (cur) => ({ ...cur!, data: { v: '3' } }));

    const etcdAt = async (prefix: string) =>
      texts((await storage.listRaw(prefix, { revision: at })).items);
    const exact = await reads.list(
      listRequest('x', { resourceVersion: at, resourceVersionMatch: 'Exact' }),
      undefined,
    );
    assert.equal(exact.resourceVersion, at);
    assert.deepEqual(texts(exact.items), await etcdAt(collectionPrefix(configmaps, 'x')));

    const everywhere = await reads.list(
      listRequest('', { resourceVersion: at, resourceVersionMatch: 'Exact' }),
      undefined,
    );
    assert.deepEqual(texts(everywhere.items), await etcdAt(collectionPrefix(configmaps, '')));

    // Selectors see past labels: x-3 was odd at `at`.
    const even = await reads.list(
      listRequest('x', {
        resourceVersion: at,
        resourceVersionMatch: 'Exact',
        labelSelector: 'parity=even',
      }),
      undefined,
    );
    const expectedEven = (await etcdAt(collectionPrefix(configmaps, 'x'))).filter(
      (t) => (JSON.parse(t) as KubeObject).metadata?.labels?.parity === 'even',
    );
    assert.deepEqual(texts(even.items), expectedEven);
    assert.ok(!names(even.items).includes('x-3'));

    // The legacy exact read (resourceVersion and limit, no match) pages at `at`.
    const paged = await allPages(listRequest('x', { resourceVersion: at, limit: '3' }));
    assert.deepEqual(texts(paged.items), await etcdAt(collectionPrefix(configmaps, 'x')));
    assert.equal(paged.pages[0]!.resourceVersion, at);
    assert.equal(paged.pages[0]!.remainingItemCount, String(paged.items.length - 3));
  });

  it('pages a consistent list at one snapshot while writers change the collection', async () => {
    const pad = (i: number) => `p-${String(i).padStart(2, '0')}`;
    for (let i = 0; i < 12; i++)
      await storage.create(key('p', pad(i)), cm('p', pad(i), { parity: parity(i) }));
    const first = await reads.list(listRequest('p', { limit: '4' }), undefined);
    assert.equal(first.remainingItemCount, '8');
    const snapshot = first.resourceVersion;
    const pages = [first];
    let round = 0;
    while (pages.at(-1)!.continue) {
      // Between pages: change objects on later pages and add new ones among them.
      round++;
      await storage.guaranteedUpdate(key('p', pad(12 - round)), (cur) => ({
        ...cur!,
        data: { round: String(round) },
      }));
      await storage.delete(key('p', pad(4 * round + 1)));
      await storage.create(key('p', `${pad(4 * round + 1)}x`), cm('p', `${pad(4 * round + 1)}x`));
      const next = await reads.list(
        listRequest('p', { limit: '4', continue: pages.at(-1)!.continue }),
        undefined,
      );
      assert.equal(next.resourceVersion, snapshot);
      pages.push(next);
    }
    const fromEtcd = await storage.listRaw(collectionPrefix(configmaps, 'p'), {
      revision: snapshot,
    });
    assert.deepEqual(texts(pages.flatMap((p) => p.items)), texts(fromEtcd.items));
    assert.equal(pages.length, 3);
    // A selector: limit counts matching objects, and no remainingItemCount.
    const odd = await allPages(listRequest('p', { limit: '2', labelSelector: 'parity=odd' }));
    assert.ok(odd.pages.every((p) => p.remainingItemCount === undefined));
    assert.ok(odd.pages.slice(0, -1).every((p) => p.items.length === 2));
  });

  it('a revision older than the window is 410 Expired, and so is a continue token', async () => {
    const prefix = collectionPrefix(configmaps, 'x');
    const err = await rejectsWith(
      reads.list(
        listRequest('x', { resourceVersion: '1', resourceVersionMatch: 'Exact' }),
        undefined,
      ),
      { code: 410, reason: 'Expired' },
    );
    assert.match(err.message, /^too old resource version: 1 \(\d+\)$/);
    const expired = await rejectsWith(
      reads.list(
        listRequest('x', { limit: '2', continue: encodeContinue(`${prefix}x-3`, prefix, '1') }),
        undefined,
      ),
      { code: 410, reason: 'Expired', message: CONTINUE_EXPIRED_MESSAGE },
    );
    // kube hands back a token that continues at the same key against the latest state.
    const token = expired.status.metadata.continue!;
    assert.deepEqual(decodeContinue(token, prefix), { rv: '-1', startKey: `${prefix}x-3` });
    const resumed = await reads.list(listRequest('x', { limit: '2', continue: token }), undefined);
    assert.deepEqual(names(resumed.items), ['x-3', 'x-4']);
    assert.ok(BigInt(resumed.resourceVersion) >= cache.rv - 0n);
  });

  it('a token expires once its revision leaves a bounded window', async () => {
    const small = await createWatchCache({
      storage,
      scheme,
      log: quietLogger(),
      windowLimits: { maxEvents: 3 },
    });
    try {
      const smallReads = createReadService({ scheme, storage, cache: small });
      const first = await smallReads.list(listRequest('x', { limit: '2' }), undefined);
      for (let i = 0; i < 5; i++)
        await storage.guaranteedUpdate(key('x', 'x-8'), (cur) => ({
          ...cur!,
          data: { i: String(i) },
        }));
      await rejectsWith(
        smallReads.list(listRequest('x', { limit: '2', continue: first.continue }), undefined),
        {
          code: 410,
          reason: 'Expired',
          message: CONTINUE_EXPIRED_MESSAGE,
        },
      );
    } finally {
      await small.stop();
    }
  });

  it('errors keep their Status, retryAfterSeconds included, across gRPC', async () => {
    const server: GrpcServerHandle = await startGrpcServer('127.0.0.1:0', [
      {
        name: 'splitplane.v1.WatchCache',
        definition: WatchCacheService,
        implementation: {
          list: unary<ListRequest, ListResponse>((request, c) => {
            const deadline = c.getDeadline();
            return reads.list(request, deadline instanceof Date ? deadline : undefined);
          }),
        },
      },
    ]);
    const client = dial(WatchCacheClient, `127.0.0.1:${server.port}`);
    try {
      const requested = (cache.rv + 500n).toString();
      const err = await rejectsWith(
        call(client, client.list, listRequest('x', { resourceVersion: requested })),
        {
          code: 504,
          reason: 'Timeout',
          details: {
            causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
            retryAfterSeconds: 1,
          },
        },
      );
      assert.match(err.message, /^Timeout: Too large resource version: \d+, current: \d+$/);
      const listed = await call(client, client.list, listRequest('y', { resourceVersion: '0' }));
      assert.deepEqual(names(listed.items), ['y-0', 'y-1']);
    } finally {
      client.close();
      await server.stop();
    }
  });
});
