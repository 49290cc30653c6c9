// GET and LIST from A's real cache on a real etcd: every resourceVersion mode, selectors,
// namespace scoping, and the exact Status of every rejection.
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
  names,
  quietLogger,
  rejectsWith,
  scheme,
} from './test-support.js';

const TOO_LARGE_CAUSES = [
  { reason: 'ResourceVersionTooLarge', message: 'Too large resource version' },
];

describe('reads from the watch cache', { timeout: 120_000 }, () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;
  let cache: WatchCache;
  let reads: ReadService;

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    for (let i = 0; i < 7; i++)
      await storage.create(
        objectKey(configmaps, 'a', `cm-${i}`),
        cm('a', `cm-${i}`, { parity: i % 2 ? 'odd' : 'even' }),
      );
    await storage.create(objectKey(configmaps, 'b', 'other'), cm('b', 'other', { parity: 'even' }));
    cache = await createWatchCache({ storage, scheme, log: quietLogger() });
    reads = createReadService({ scheme, storage, cache });
  });
  after(async () => {
    await cache?.stop();
    storage?.client.close();
    await etcd?.stop();
  });

  const get = (ns: string, name: string, resourceVersion = '') =>
    reads.get({ attributes: attributes(ns, name), resourceVersion }, undefined);

  it('consistent LIST and GET see a write acknowledged just before', async () => {
    for (let i = 0; i < 15; i++) {
      const created = await storage.create(
        objectKey(configmaps, 'c', `fresh-${i}`),
        cm('c', `fresh-${i}`),
      );
      const listed = await reads.list(listRequest('c'), undefined);
      assert.ok(names(listed.items).includes(`fresh-${i}`), `fresh-${i} missing from the list`);
      assert.ok(BigInt(listed.resourceVersion) >= BigInt(created.metadata!.resourceVersion!));
      const got = await get('c', `fresh-${i}`);
      assert.equal(
        JSON.parse(got.object.toString()).metadata.resourceVersion,
        created.metadata!.resourceVersion,
      );
    }
    // An update too: the consistent GET returns the new state, never the cached old one.
    const updated = await storage.guaranteedUpdate(
      objectKey(configmaps, 'c', 'fresh-0'),
      (cur) => ({
        ...cur!,
        data: { v: 'new' },
      }),
    );
    const got = JSON.parse((await get('c', 'fresh-0')).object.toString());
    assert.deepEqual(got.data, { v: 'new' });
    assert.equal(got.metadata.resourceVersion, updated.obj.metadata!.resourceVersion);
  });

  it('serves the cached JSON bytes exactly as etcd stores them', async () => {
    const listed = await reads.list(listRequest('a'), undefined);
    const fromEtcd = await storage.listRaw(objectKey(configmaps, 'a', ''), {
      revision: listed.resourceVersion,
    });
    assert.deepEqual(
      listed.items.map((b) => b.toString()),
      fromEtcd.items.map((b) => b.toString()),
    );
  });

  it('"0" serves what the cache has and ignores limit, as kube 1.32\'s cache does', async () => {
    const listed = await reads.list(
      listRequest('a', { resourceVersion: '0', limit: '2' }),
      undefined,
    );
    assert.equal(listed.items.length, 7);
    assert.equal(listed.continue, '');
    assert.equal(listed.remainingItemCount, undefined);
    assert.ok(BigInt(listed.resourceVersion) >= 1n);
    assert.equal(
      names((await reads.list(listRequest('b', { resourceVersion: '0' }), undefined)).items)[0],
      'other',
    );
    const got = JSON.parse((await get('a', 'cm-1', '0')).object.toString());
    assert.equal(got.metadata.name, 'cm-1');
  });

  it('a resourceVersion the cache has reached is served not older than it', async () => {
    const first = await reads.list(listRequest('a'), undefined);
    const updated = await storage.guaranteedUpdate(objectKey(configmaps, 'a', 'cm-4'), (cur) => ({
      ...cur!,
      data: { n: '1' },
    }));
    const updateRv = updated.obj.metadata!.resourceVersion!;
    for (const match of ['', 'NotOlderThan']) {
      const listed = await reads.list(
        listRequest('a', {
          resourceVersion: first.resourceVersion,
          resourceVersionMatch: match,
          limit: '2',
        }),
        undefined,
      );
      // NotOlderThan ignores limit in kube's cache; a bare RV without limit is the same read.
      if (match) assert.equal(listed.items.length, 7);
      else assert.equal(listed.items.length, 2);
      assert.ok(BigInt(listed.resourceVersion) >= BigInt(first.resourceVersion));
    }
    const noLimit = await reads.list(
      listRequest('a', { resourceVersion: first.resourceVersion }),
      undefined,
    );
    assert.equal(noLimit.items.length, 7);
    assert.ok(BigInt(noLimit.resourceVersion) >= BigInt(first.resourceVersion));
    // Not older than the update's revision: the cache waits for it, then has it.
    const got = JSON.parse((await get('a', 'cm-4', updateRv)).object.toString());
    assert.deepEqual(got.data, { n: '1' });
    assert.equal(got.metadata.resourceVersion, updateRv);
    const listed = await reads.list(listRequest('a', { resourceVersion: updateRv }), undefined);
    assert.ok(BigInt(listed.resourceVersion) >= BigInt(updateRv));
    assert.ok(listed.items.some((b) => JSON.parse(b.toString()).data?.n === '1'));
  });

  it('a resourceVersion the cache does not reach is kube\'s "Too large resource version" 504', async () => {
    const current = cache.rv;
    const requested = (current + 1000n).toString();
    const checks = [
      reads.list(listRequest('a', { resourceVersion: requested }), undefined),
      reads.list(
        listRequest('a', { resourceVersion: requested, resourceVersionMatch: 'Exact' }),
        undefined,
      ),
      get('a', 'cm-1', requested),
    ];
    // Waited for together (each takes kube's 3 s); handlers attach at once.
    const errors = await Promise.all(
      checks.map((check) =>
        rejectsWith(check, {
          code: 504,
          reason: 'Timeout',
          details: { causes: TOO_LARGE_CAUSES, retryAfterSeconds: 1 },
        }),
      ),
    );
    for (const err of errors)
      assert.match(
        err.message,
        new RegExp(`^Timeout: Too large resource version: ${requested}, current: \\d+$`),
      );
  });

  it('a read for a revision the cache has not reached yet waits for it', async () => {
    const target = (await cache.currentRevision(Date.now() + 5_000)) + 1n;
    const listing = reads.list(listRequest('d', { resourceVersion: target.toString() }), undefined);
    const getting = get('d', 'later', target.toString());
    await storage.create(objectKey(configmaps, 'd', 'later'), cm('d', 'later'));
    const [listed, got] = await Promise.all([listing, getting]);
    assert.ok(BigInt(listed.resourceVersion) >= target);
    assert.deepEqual(names(listed.items), ['later']);
    assert.equal(JSON.parse(got.object.toString()).metadata.name, 'later');
  });

  it("GET of a missing object is kube's 404", async () => {
    await rejectsWith(get('a', 'nope'), {
      code: 404,
      reason: 'NotFound',
      message: 'configmaps "nope" not found',
      details: { name: 'nope', group: '', kind: 'configmaps' },
    });
    await rejectsWith(get('a', 'nope', '0'), { code: 404, reason: 'NotFound' });
  });

  it('filters by label and field selectors; limit counts matches', async () => {
    const even = await reads.list(
      listRequest('a', { labelSelector: 'parity=even', limit: '2' }),
      undefined,
    );
    assert.deepEqual(names(even.items), ['cm-0', 'cm-2']);
    assert.ok(even.continue);
    assert.equal(even.remainingItemCount, undefined, 'no remainingItemCount with a selector');
    const rest = await reads.list(
      listRequest('a', { labelSelector: 'parity=even', limit: '2', continue: even.continue }),
      undefined,
    );
    assert.deepEqual(names(rest.items), ['cm-4', 'cm-6']);
    assert.equal(rest.resourceVersion, even.resourceVersion);

    const byName = await reads.list(
      listRequest('', { fieldSelector: 'metadata.name=other' }),
      undefined,
    );
    assert.deepEqual(names(byName.items), ['other']);
    const oneKey = await reads.list(
      listRequest('a', { fieldSelector: 'metadata.name=cm-3' }),
      undefined,
    );
    assert.deepEqual(names(oneKey.items), ['cm-3']);
    const noKey = await reads.list(
      listRequest('b', { fieldSelector: 'metadata.name=cm-3' }),
      undefined,
    );
    assert.deepEqual(noKey.items, []);
    const notName = await reads.list(
      listRequest('a', { fieldSelector: 'metadata.name!=cm-3', labelSelector: 'parity=odd' }),
      undefined,
    );
    assert.deepEqual(names(notName.items), ['cm-1', 'cm-5']);
    const inB = await reads.list(
      listRequest('', { fieldSelector: 'metadata.namespace=b' }),
      undefined,
    );
    assert.deepEqual(names(inB.items), ['other']);
    await rejectsWith(
      reads.list(listRequest('a', { fieldSelector: 'spec.nodeName=x' }), undefined),
      {
        code: 400,
        reason: 'BadRequest',
      },
    );
  });

  it('scopes lists to a namespace, or lists every namespace', async () => {
    const inB = await reads.list(listRequest('b'), undefined);
    assert.deepEqual(names(inB.items), ['other']);
    const all = await reads.list(listRequest(''), undefined);
    const namespaces = all.items.map((b) => JSON.parse(b.toString()).metadata.namespace as string);
    assert.deepEqual([...new Set(namespaces)], ['a', 'b', 'c', 'd']);
    const none = await reads.list(listRequest('empty'), undefined);
    assert.deepEqual(none.items, []);
  });

  it('rejects malformed input with exact 400s and 422s', async () => {
    await rejectsWith(reads.list(listRequest('a', { resourceVersion: 'abc' }), undefined), {
      code: 400,
      reason: 'BadRequest',
      message:
        'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
    });
    await rejectsWith(get('a', 'cm-1', '-3'), {
      code: 400,
      reason: 'BadRequest',
      message:
        'resourceVersion: Invalid value: "-3": strconv.ParseUint: parsing "-3": invalid syntax',
    });
    await rejectsWith(reads.list(listRequest('a', { limit: 'many' }), undefined), {
      code: 400,
      reason: 'BadRequest',
      message: 'strconv.ParseInt: parsing "many": invalid syntax',
    });
    await rejectsWith(reads.list(listRequest('a', { continue: '%%%', limit: '2' }), undefined), {
      code: 400,
      reason: 'BadRequest',
    });
    const page = await reads.list(listRequest('a', { limit: '2' }), undefined);
    await rejectsWith(
      reads.list(
        listRequest('a', { continue: page.continue, resourceVersion: page.resourceVersion }),
        undefined,
      ),
      {
        code: 400,
        reason: 'BadRequest',
        message: 'specifying resource version is not allowed when using continue',
      },
    );
    // A token for another collection's prefix does not escape it.
    await rejectsWith(
      reads.list(
        listRequest('a', { continue: page.continue, resourceVersionMatch: 'Exact' }),
        undefined,
      ),
      { code: 422, reason: 'Invalid' },
    );
    await rejectsWith(
      reads.list(listRequest('a', { resourceVersionMatch: 'NotOlderThan' }), undefined),
      {
        code: 422,
        reason: 'Invalid',
        message:
          'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      },
    );
  });
});
