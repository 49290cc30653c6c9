import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import {
  CompactedError,
  DELETE,
  EntityTooLargeError,
  EtcdStorage,
  KeyExistsError,
  KeyNotFoundError,
  PreconditionError,
  createEtcdClient,
  decodeContinue,
} from './index.js';

const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  data,
});

describe('EtcdStorage against a real etcd', () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }), {
      maxRequestBytes: 64 * 1024,
    });
  });
  after(async () => {
    storage?.close();
    await etcd?.stop();
  });

  it('create stores without resourceVersion and returns the mod_revision', async () => {
    const created = await storage.create('/registry/configmaps/default/a', {
      ...cm('a'),
      metadata: { ...cm('a').metadata, resourceVersion: '999' },
    });
    assert.match(created.metadata!.resourceVersion!, /^\d+$/);
    const raw = await storage.client.get('/registry/configmaps/default/a').string();
    assert.ok(raw && !raw.includes('resourceVersion'), raw ?? 'missing');
    const got = await storage.get('/registry/configmaps/default/a');
    assert.equal(got?.rv, created.metadata!.resourceVersion);
    assert.equal(got?.obj.metadata?.resourceVersion, got?.rv);
    await assert.rejects(storage.create('/registry/configmaps/default/a', cm('a')), KeyExistsError);
    assert.equal(await storage.get('/registry/configmaps/default/missing'), undefined);
  });

  it('createRaw stores what create stores and returns the object with its JSON', async () => {
    const key = '/registry/configmaps/default/raw';
    const input = { ...cm('raw', { k: 'v' }), immutable: false };
    const { obj, json } = await storage.createRaw(key, input);
    assert.match(obj.metadata!.resourceVersion!, /^\d+$/);
    assert.equal(json.toString('utf8'), JSON.stringify(obj));
    const stored = await storage.client.get(key).string();
    assert.equal(stored, JSON.stringify(input));
    assert.deepEqual((await storage.get(key))?.obj, obj);
    await assert.rejects(storage.createRaw(key, input), KeyExistsError);
    const dry = await storage.createRaw('/registry/configmaps/default/raw-dry', cm('raw-dry'), {
      dryRun: true,
    });
    assert.equal(dry.obj.metadata?.resourceVersion, undefined);
    assert.equal(dry.json.toString('utf8'), JSON.stringify(dry.obj));
    assert.equal(await storage.get('/registry/configmaps/default/raw-dry'), undefined);
    await assert.rejects(
      storage.createRaw(
        '/registry/configmaps/default/raw-big',
        cm('big', { x: 'y'.repeat(70_000) }),
      ),
      EntityTooLargeError,
    );
  });

  it('dryRun create and update write nothing', async () => {
    const before = await storage.currentRevision();
    const dry = await storage.create('/registry/configmaps/default/dry', cm('dry'), {
      dryRun: true,
    });
    assert.equal(dry.metadata?.resourceVersion, undefined);
    assert.equal(await storage.get('/registry/configmaps/default/dry'), undefined);
    await storage.guaranteedUpdate(
      '/registry/configmaps/default/a',
      (cur) => ({ ...cur!, data: { x: 'y' } }),
      { dryRun: true },
    );
    assert.deepEqual((await storage.get('/registry/configmaps/default/a'))?.obj.data, {});
    assert.equal(await storage.currentRevision(), before);
  });

  it('guaranteedUpdate with concurrent updaters loses no update', async () => {
    const key = '/registry/configmaps/default/counter';
    await storage.create(key, cm('counter', { n: '0' }));
    let calls = 0;
    const bump = () =>
      storage.guaranteedUpdate(key, (cur) => {
        calls++;
        const n = Number((cur!.data as Record<string, string>).n) + 1;
        return { ...cur!, data: { n: String(n) } };
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    const got = await storage.get(key);
    assert.equal((got!.obj.data as Record<string, string>).n, '20');
    assert.ok(calls >= 20);
  });

  it('guaranteedUpdate skips no-op writes and keeps the resourceVersion', async () => {
    const key = '/registry/configmaps/default/a';
    const before = await storage.get(key);
    const res = await storage.guaranteedUpdate(key, (cur) => structuredClone(cur!));
    assert.equal(res.changed, false);
    assert.equal(res.obj.metadata?.resourceVersion, before!.rv);
    assert.equal((await storage.get(key))!.rv, before!.rv);
  });

  it('guaranteedUpdate checks preconditions, missing keys and deletes', async () => {
    const key = '/registry/configmaps/default/pre';
    await storage.create(key, cm('pre'));
    await assert.rejects(
      storage.guaranteedUpdate(key, (c) => c!, { preconditions: { uid: 'other' } }),
      (err: unknown) =>
        err instanceof PreconditionError &&
        /UID in precondition: other, UID in object meta: uid-pre/.test(err.why),
    );
    await assert.rejects(
      storage.guaranteedUpdate('/registry/configmaps/default/nope', (c) => c!),
      KeyNotFoundError,
    );
    const created = await storage.guaranteedUpdate(
      '/registry/configmaps/default/upsert',
      (c) => c ?? cm('upsert'),
      { ignoreNotFound: true },
    );
    assert.equal(created.created, true);
    const before = await storage.currentRevision();
    const del = await storage.guaranteedUpdate(key, () => DELETE);
    assert.equal(del.deleted, true);
    // Like kube, the deleted object carries the delete's own revision.
    assert.equal(del.obj.metadata?.resourceVersion, String(BigInt(before) + 1n));
    assert.equal(await storage.get(key), undefined);
  });

  it('delete honours resourceVersion preconditions and validateDeletion', async () => {
    const key = '/registry/configmaps/default/del';
    const created = await storage.create(key, cm('del'));
    await assert.rejects(
      storage.delete(key, { preconditions: { resourceVersion: '1' } }),
      PreconditionError,
    );
    await assert.rejects(
      storage.delete(key, {
        validateDeletion: () => {
          throw new Error('no');
        },
      }),
      /no/,
    );
    const gone = await storage.delete(key, {
      preconditions: { resourceVersion: created.metadata!.resourceVersion! },
    });
    assert.equal(gone.metadata?.name, 'del');
    assert.equal(gone.metadata?.resourceVersion, await storage.currentRevision());
    await assert.rejects(storage.delete(key), KeyNotFoundError);
  });

  it('paginates at a fixed revision with kube continue tokens', async () => {
    const prefix = '/registry/secrets/page/';
    for (let i = 0; i < 7; i++) await storage.create(`${prefix}s${i}`, cm(`s${i}`));
    const first = await storage.list(prefix, { limit: 3 });
    assert.deepEqual(
      first.items.map((o) => o.metadata?.name),
      ['s0', 's1', 's2'],
    );
    assert.equal(first.remainingItemCount, 4);
    assert.ok(first.continue);
    const token = JSON.parse(Buffer.from(first.continue!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    assert.equal(token.v, 'meta.k8s.io/v1');
    assert.equal(String(token.rv), first.revision);
    assert.equal(token.start, 's2\u0000');
    // Writes after the first page are invisible to later pages.
    await storage.create(`${prefix}s3a`, cm('s3a'));
    await storage.delete(`${prefix}s5`);
    const second = await storage.list(prefix, { limit: 3, continue: first.continue! });
    assert.deepEqual(
      second.items.map((o) => o.metadata?.name),
      ['s3', 's4', 's5'],
    );
    assert.equal(second.revision, first.revision);
    const third = await storage.list(prefix, { limit: 3, continue: second.continue! });
    assert.deepEqual(
      third.items.map((o) => o.metadata?.name),
      ['s6'],
    );
    assert.equal(third.continue, undefined);
    const all = await storage.list(prefix);
    assert.equal(all.items.length, 7);
    const filtered = await storage.list(prefix, {
      limit: 2,
      predicate: (o) => o.metadata!.name!.endsWith('a') || o.metadata!.name === 's6',
    });
    assert.deepEqual(
      filtered.items.map((o) => o.metadata?.name),
      ['s3a', 's6'],
    );
    assert.throws(
      () => decodeContinue('not-a-token', prefix),
      (e: unknown) => e instanceof StatusError && e.code === 400,
    );
  });

  it('getRaw and listRaw give the JSON of what get and list return', async () => {
    const prefix = '/registry/configmaps/raw-list/';
    for (let i = 0; i < 5; i++) await storage.create(`${prefix}r${i}`, cm(`r${i}`, { i: `${i}` }));
    // A value written by someone else, not in JSON.stringify's form, takes the slow path.
    await storage.client
      .put(`${prefix}r5`)
      .value('{ "kind" : "ConfigMap", "metadata": {"name":"r5"} }');
    const got = await storage.get(`${prefix}r1`);
    const raw = await storage.getRaw(`${prefix}r1`);
    assert.equal(raw?.json.toString(), JSON.stringify(got!.obj));
    assert.equal(raw?.rv, got!.rv);
    assert.equal(await storage.getRaw(`${prefix}missing`), undefined);
    const odd = await storage.getRaw(`${prefix}r5`);
    assert.equal(odd?.json.toString(), JSON.stringify((await storage.get(`${prefix}r5`))!.obj));

    for (const opts of [
      {},
      { limit: 2 },
      { limit: 2, predicate: (o: KubeObject) => o.metadata!.name !== 'r1' },
    ]) {
      const objects = await storage.list(prefix, opts);
      const bytes = await storage.listRaw(prefix, { ...opts, revision: objects.revision });
      assert.deepEqual(
        bytes.items.map((b) => b.toString()),
        objects.items.map((o) => JSON.stringify(o)),
      );
      assert.equal(bytes.revision, objects.revision);
      assert.equal(bytes.continue, objects.continue);
      assert.equal(bytes.remainingItemCount, objects.remainingItemCount);
    }
  });

  it('an expired continue token is a 410 with an inconsistent continuation', async () => {
    const prefix = '/registry/secrets/page/';
    const first = await storage.list(prefix, { limit: 2 });
    await storage.guaranteedUpdate(`${prefix}s6`, (c) => ({ ...c!, data: { changed: 'yes' } }));
    await storage.client.kv.compact({ revision: await storage.currentRevision(), physical: true });
    await assert.rejects(
      storage.list(prefix, { limit: 2, continue: first.continue! }),
      (err: unknown) => {
        assert.ok(err instanceof CompactedError);
        assert.equal(err.code, 410);
        assert.equal(err.reason, 'Expired');
        assert.match(
          err.message,
          /^The provided continue parameter is too old to display a consistent list result\./,
        );
        const next = err.status.metadata.continue!;
        assert.equal(decodeContinue(next, prefix).rv, '-1');
        return true;
      },
    );
    await assert.rejects(
      storage.list(prefix, { revision: '2' }),
      (err: unknown) =>
        err instanceof CompactedError &&
        err.message === 'The resourceVersion for the provided list is too old.',
    );
  });

  it('an oversized value is a 413 and does not break later calls', async () => {
    const big = cm('big', { blob: 'x'.repeat(70 * 1024) });
    await assert.rejects(
      storage.create('/registry/configmaps/default/big', big),
      (err: unknown) => {
        assert.ok(err instanceof EntityTooLargeError);
        assert.equal(err.code, 413);
        assert.equal(err.reason, 'RequestEntityTooLarge');
        return true;
      },
    );
    // Over etcd's own limit (our guard raised above it): etcd refuses, we still answer 413.
    const loose = new EtcdStorage(storage.client, { maxRequestBytes: 64 * 1024 * 1024 });
    await assert.rejects(
      loose.create(
        '/registry/configmaps/default/huge',
        cm('huge', { blob: 'x'.repeat(2 * 1024 * 1024) }),
      ),
      (err: unknown) => {
        assert.ok(err instanceof StatusError, String(err));
        assert.equal(err.code, 413);
        return true;
      },
    );
    await assert.rejects(
      loose.create(
        '/registry/configmaps/default/huge',
        cm('huge', { blob: 'x'.repeat(1600 * 1024) }),
      ),
      (err: unknown) => {
        assert.ok(err instanceof StatusError, String(err));
        assert.equal(err.code, 413);
        return true;
      },
    );
    // No breaker opened: the next call works at once.
    await storage.create('/registry/configmaps/default/after-big', cm('after-big'));
  });
});
