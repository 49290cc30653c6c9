// The watch-cache service against a real etcd, over real gRPC.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import { call, dial, startGrpcServer, type GrpcServerHandle } from '@splitplane/kit';
import {
  WatchCacheClient,
  type ListOptions,
  type RequestAttributes,
  type WatchEvent,
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

  it('watches from a resourceVersion with selector transitions', async () => {
    const list = await call(client, client.list, {
      attributes: attributes('b'),
      options: options(),
    });
    const stream = client.watch({
      attributes: attributes('b'),
      options: options({ labelSelector: 'parity=even', resourceVersion: list.resourceVersion }),
    });
    const events: WatchEvent[] = [];
    const done = new Promise<void>((resolve) => {
      stream.on('data', (e: WatchEvent) => {
        events.push(e);
        if (events.length === 4) resolve();
      });
    });
    stream.on('error', () => undefined);
    const key = objectKey(configmaps, 'b', 'other');
    await storage.create(objectKey(configmaps, 'b', 'new'), cm('b', 'new', { parity: 'even' }));
    await storage.guaranteedUpdate(key, (cur) => ({
      ...cur!,
      metadata: { ...cur!.metadata, labels: { parity: 'odd' } },
    }));
    await storage.guaranteedUpdate(key, (cur) => ({
      ...cur!,
      metadata: { ...cur!.metadata, labels: { parity: 'even' } },
    }));
    await storage.delete(objectKey(configmaps, 'b', 'new'));
    await done;
    stream.cancel();
    assert.deepEqual(
      events.map((e) => [e.type, JSON.parse(e.object.toString()).metadata.name]),
      [
        ['ADDED', 'new'],
        ['DELETED', 'other'],
        ['ADDED', 'other'],
        ['DELETED', 'new'],
      ],
    );
    const rvs = events.map((e) => BigInt(e.rv));
    assert.ok(
      rvs.every((rv, i) => i === 0 || rv > rvs[i - 1]!),
      'strictly increasing resourceVersions',
    );
  });

  it('ends a watch from a compacted resourceVersion with a 410 Expired ERROR event', async () => {
    const key = objectKey(configmaps, 'b', 'compacted');
    const first = await storage.create(key, cm('b', 'compacted', { parity: 'odd' }));
    await storage.guaranteedUpdate(key, (cur) => ({ ...cur!, data: { v: '2' } }));
    const third = await storage.guaranteedUpdate(key, (cur) => ({ ...cur!, data: { v: '3' } }));
    // A watch from `first` starts at first+1, which the compaction at `third` removed.
    await storage.client.kv.compact({
      revision: third.obj.metadata!.resourceVersion!,
      physical: true,
    });

    const stream = client.watch({
      attributes: attributes('b'),
      options: options({ resourceVersion: first.metadata!.resourceVersion! }),
    });
    const events: WatchEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (e: WatchEvent) => events.push(e));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, 'ERROR');
    const status = JSON.parse(events[0]!.object.toString());
    assert.equal(status.code, 410);
    assert.equal(status.reason, 'Expired');
    assert.match(status.message, /^too old resource version: \d+ \(\d+\)$/);
  });
});
