// The create path's namespace check against a real etcd: Active namespaces are read once per
// TTL, missing and terminating ones on every create, and answers stay kube's 404 / 403.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { StatusError } from '@splitplane/apimachinery';
import type { RequestAttributes } from '@splitplane/proto';
import { BUILTIN_RESOURCES, Scheme } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { strategyFor } from '../strategies/index.js';
import { create } from './create.js';
import { deleteObject } from './delete.js';
import { Store } from './store.js';

function attrs(resource: string, namespace: string, name = ''): RequestAttributes {
  return {
    user: { username: 'alice', uid: '', groups: [], extra: {} },
    resource: { group: '', version: 'v1', resource },
    namespace,
    name,
    subresource: '',
    dryRun: false,
    fieldManager: '',
    fieldValidation: '',
    auditId: '',
  };
}
const json = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('namespace check on create', () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;
  let store: Store;
  const reads: string[] = [];
  const ttlMs = 300;

  const createCm = (ns: string, name: string) =>
    create(store, store.context(attrs('configmaps', ns)), json({ metadata: { name } }));
  const namespaceReads = () => reads.filter((k) => k.startsWith('/registry/namespaces/')).length;
  const rejectsWith = (p: Promise<unknown>, code: number, reason: string) =>
    assert.rejects(
      p,
      (err: unknown) => err instanceof StatusError && err.code === code && err.reason === reason,
    );

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    // Count the reads the store makes, on the real storage.
    const get = storage.get.bind(storage);
    storage.get = (key, opts) => {
      reads.push(key);
      return get(key, opts);
    };
    store = new Store({
      storage,
      scheme: new Scheme(BUILTIN_RESOURCES),
      strategyFor,
      namespaceCacheTtlMs: ttlMs,
    });
    for (const name of ['busy', 'doomed', 'elsewhere']) {
      await create(store, store.context(attrs('namespaces', '')), json({ metadata: { name } }));
    }
  });
  after(async () => {
    storage?.close();
    await etcd?.stop();
  });

  it('reads an Active namespace once per TTL', async () => {
    const before = namespaceReads();
    for (let i = 0; i < 5; i++) await createCm('busy', `cm-${i}`);
    assert.equal(namespaceReads() - before, 1);
    await sleep(ttlMs + 50);
    await createCm('busy', 'after-ttl');
    assert.equal(namespaceReads() - before, 2);
  });

  it('a missing namespace is read, and a 404, every time', async () => {
    const before = namespaceReads();
    await rejectsWith(createCm('nope', 'a'), 404, 'NotFound');
    await rejectsWith(createCm('nope', 'b'), 404, 'NotFound');
    assert.equal(namespaceReads() - before, 2);
  });

  it('deleting a namespace through this store forgets it at once', async () => {
    await createCm('doomed', 'first');
    const res = await deleteObject(
      store,
      store.context(attrs('namespaces', '', 'doomed')),
      json({}),
    );
    assert.equal((res.object.status as { phase?: string }).phase, 'Terminating');
    const before = namespaceReads();
    await rejectsWith(createCm('doomed', 'late'), 403, 'Forbidden');
    await rejectsWith(createCm('doomed', 'later'), 403, 'Forbidden');
    assert.equal(namespaceReads() - before, 2);
  });

  it('a namespace terminated elsewhere is refused once the TTL has passed', async () => {
    await createCm('elsewhere', 'first');
    // Another replica's delete: a write this store does not see.
    const other = new Store({ storage, scheme: store.scheme, strategyFor });
    await deleteObject(other, other.context(attrs('namespaces', '', 'elsewhere')), json({}));
    await sleep(ttlMs + 50);
    await rejectsWith(createCm('elsewhere', 'late'), 403, 'Forbidden');
  });
});
