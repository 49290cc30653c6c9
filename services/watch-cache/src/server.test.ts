// The watch-cache service against a real etcd, over real gRPC.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import { call, dial, fromGrpcError, startGrpcServer, type GrpcServerHandle } from '@splitplane/kit';
import {
  WatchCacheClient,
  type ListOptions,
  type ListPiece,
  type ListRequest,
  type RequestAttributes,
} from '@splitplane/proto';
import { BUILTIN_RESOURCES, objectKey, Scheme, type KubeObject } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { watchCacheService } from './server.js';

const scheme = new Scheme(BUILTIN_RESOURCES);
const configmaps = scheme.resource('', 'v1', 'configmaps')!;

function attributes(namespace: string, name = ''): RequestAttributes {
  return {
    user: { username: 'test', uid: '', groups: [], extra: {} },
    resource: { group: '', version: 'v1', resource: 'configmaps' },
    namespace,
    name,
    subresource: '',
    dryRun: false,
    fieldManager: '',
    fieldValidation: '',
    auditId: '',
  };
}

function options(partial: Partial<ListOptions> = {}): ListOptions {
  return {
    labelSelector: '',
    fieldSelector: '',
    resourceVersion: '',
    resourceVersionMatch: '',
    limit: '0',
    continue: '',
    allowWatchBookmarks: false,
    timeoutSeconds: '0',
    ...partial,
  };
}

const cm = (ns: string, name: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels },
});

describe('watch-cache service', { timeout: 60_000 }, () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;
  let server: GrpcServerHandle;
  let client: InstanceType<typeof WatchCacheClient>;

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    for (let i = 0; i < 7; i++) {
      await storage.create(
        objectKey(configmaps, 'a', `cm-${i}`),
        cm('a', `cm-${i}`, { parity: i % 2 ? 'odd' : 'even' }),
      );
    }
    await storage.create(objectKey(configmaps, 'b', 'other'), cm('b', 'other', { parity: 'even' }));
    server = await startGrpcServer('127.0.0.1:0', [watchCacheService(scheme, storage)]);
    client = dial(WatchCacheClient, `127.0.0.1:${server.port}`);
  });
  after(async () => {
    client?.close();
    await server?.stop();
    storage?.client.close();
    await etcd?.stop();
  });

  const names = (items: Buffer[]) => items.map((b) => JSON.parse(b.toString()).metadata.name);

  it("gets one object, and 404s a missing one with kube's Status", async () => {
    const got = await call(client, client.get, {
      attributes: attributes('a', 'cm-3'),
      resourceVersion: '',
    });
    const obj = JSON.parse(got.object.toString());
    assert.equal(obj.metadata.name, 'cm-3');
    assert.match(obj.metadata.resourceVersion, /^\d+$/);
    await assert.rejects(
      call(client, client.get, { attributes: attributes('a', 'nope'), resourceVersion: '' }),
      (err: unknown) => {
        assert.ok(err instanceof StatusError);
        assert.equal(err.code, 404);
        assert.equal(err.message, 'configmaps "nope" not found');
        return true;
      },
    );
  });

  it('lists a namespace, and all namespaces', async () => {
    const inA = await call(client, client.list, {
      attributes: attributes('a'),
      options: options(),
    });
    assert.equal(inA.items.length, 7);
    const all = await call(client, client.list, { attributes: attributes(''), options: options() });
    assert.equal(all.items.length, 8);
  });

  it('pages selected objects with limit and continue at one snapshot', async () => {
    const first = await call(client, client.list, {
      attributes: attributes('a'),
      options: options({ labelSelector: 'parity=even', limit: '2' }),
    });
    assert.deepEqual(names(first.items), ['cm-0', 'cm-2']);
    assert.ok(first.continue);
    // A write between pages must not show up in later pages (same snapshot).
    await storage.create(objectKey(configmaps, 'a', 'cm-5a'), cm('a', 'cm-5a', { parity: 'even' }));
    const second = await call(client, client.list, {
      attributes: attributes('a'),
      options: options({ labelSelector: 'parity=even', limit: '2', continue: first.continue }),
    });
    assert.deepEqual(names(second.items), ['cm-4', 'cm-6']);
    assert.equal(second.resourceVersion, first.resourceVersion);
    assert.equal(second.continue, '');
  });

  async function streamList(request: ListRequest): Promise<ListPiece[]> {
    const pieces: ListPiece[] = [];
    try {
      for await (const piece of client.streamList(request)) pieces.push(piece as ListPiece);
    } catch (err) {
      throw fromGrpcError(err as Error, 'watch-cache');
    }
    return pieces;
  }

  it('streams a LIST as pieces that join into the same items as List', async () => {
    // 60 KB items: two to a 128 KiB piece.
    for (let i = 0; i < 5; i++) {
      const big = { ...cm('big', `big-${i}`, {}), data: { blob: 'x'.repeat(60_000) } };
      await storage.create(objectKey(configmaps, 'big', `big-${i}`), big);
    }
    const request = { attributes: attributes('big'), options: options({ limit: '4' }) };
    const whole = await call(client, client.list, request);
    const pieces = await streamList(request);
    assert.equal(pieces.length, 2);
    const joined = Buffer.concat(pieces.map((p) => p.itemsJson));
    assert.equal(joined.toString(), whole.items.map((b) => b.toString()).join(','));
    assert.deepEqual(
      pieces.map((p) => p.itemCount).reduce((a, b) => a + b),
      4,
    );
    const [first, ...rest] = pieces;
    assert.equal(first!.resourceVersion, whole.resourceVersion);
    assert.equal(first!.continue, whole.continue);
    assert.ok(first!.continue);
    assert.equal(first!.remainingItemCount, '1');
    assert.equal(first!.totalItems, '4');
    assert.equal(first!.totalItemsJsonBytes, String(joined.length));
    for (const p of rest) {
      assert.equal(p.resourceVersion, '');
      assert.equal(p.totalItems, '0');
      assert.equal(p.itemsJson[0], 0x2c); // each later piece leads with its comma
    }
    // An empty LIST is one piece with the metadata.
    const empty = await streamList({ attributes: attributes('none'), options: options() });
    assert.equal(empty.length, 1);
    assert.equal(empty[0]!.itemsJson.length, 0);
    assert.match(empty[0]!.resourceVersion, /^\d+$/);
  });

  it('fails a StreamList with the same Status as List, before any piece', async () => {
    await assert.rejects(
      streamList({ attributes: attributes('a'), options: options({ labelSelector: 'a in (' }) }),
      (err: unknown) => err instanceof StatusError && err.code === 400,
    );
  });

  it('filters by field selector and rejects unsupported field labels with 400', async () => {
    const byName = await call(client, client.list, {
      attributes: attributes(''),
      options: options({ fieldSelector: 'metadata.name=other' }),
    });
    assert.deepEqual(names(byName.items), ['other']);
    await assert.rejects(
      call(client, client.list, {
        attributes: attributes('a'),
        options: options({ fieldSelector: 'spec.nodeName=x' }),
      }),
      (err: unknown) => err instanceof StatusError && err.code === 400,
    );
    await assert.rejects(
      call(client, client.list, {
        attributes: attributes('a'),
        options: options({ labelSelector: 'a in (' }),
      }),
      (err: unknown) => err instanceof StatusError && err.code === 400,
    );
  });
});
