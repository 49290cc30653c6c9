// The watch-cache service against a real etcd, over real gRPC.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import { call, dial, startGrpcServer, type GrpcServerHandle } from '@splitplane/kit';
import { WatchCacheClient, type ListOptions, type RequestAttributes } from '@splitplane/proto';
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
