// Default ServiceAccounts against a real etcd: created with each namespace (not on dry
// run), and for existing namespaces by the startup pass, idempotently.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_RESOURCES, Scheme, type ResourceDefinition } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { systemAttributes } from '../namespace-controller/system-namespaces.js';
import { strategyFor } from '../strategies/index.js';
import { createObject } from '../store/create.js';
import { deleteObject } from '../store/delete.js';
import { Store } from '../store/store.js';
import {
  defaultServiceAccountHooks,
  ensureDefaultServiceAccounts,
} from './default-service-accounts.js';

const NS_GVR = { group: '', version: 'v1', resource: 'namespaces' };

describe('default service accounts', () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;
  let store: Store;
  const sa = async (namespace: string) => {
    const def = store.scheme.resource('', 'v1', 'serviceaccounts')!;
    return (await store.storage.get(store.key(def, namespace, 'default')))?.obj;
  };
  const createNamespace = async (name: string, dryRun = false) => {
    const ctx = store.context({ ...systemAttributes(NS_GVR, '', name), dryRun });
    await createObject(
      store,
      ctx,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
      false,
    );
  };

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    const scheme = new Scheme(BUILTIN_RESOURCES);
    const hooks = defaultServiceAccountHooks(() => store);
    store = new Store({
      storage,
      scheme,
      strategyFor,
      hooksFor: (def: ResourceDefinition) =>
        def.group === '' && def.kind === 'Namespace' ? hooks : undefined,
    });
  });
  after(async () => {
    storage?.close();
    await etcd?.stop();
  });

  it('a new namespace has its default ServiceAccount as soon as the create returns', async () => {
    await createNamespace('team-a');
    const account = await sa('team-a');
    assert.equal(account?.kind, 'ServiceAccount');
    assert.deepEqual(
      [account?.metadata?.name, account?.metadata?.namespace],
      ['default', 'team-a'],
    );
  });

  it('a dry-run namespace create makes no account', async () => {
    await createNamespace('dry', true);
    assert.equal(await sa('dry'), undefined);
  });

  it('the startup pass fills namespaces that lack one, and leaves existing ones', async () => {
    const plain = new Store({ storage, scheme: store.scheme, strategyFor });
    const ctx = plain.context(systemAttributes(NS_GVR, '', 'older'));
    await createObject(
      plain,
      ctx,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'older' } },
      false,
    );
    assert.equal(await sa('older'), undefined);
    const before = (await sa('team-a'))?.metadata?.resourceVersion;
    await ensureDefaultServiceAccounts(plain);
    assert.ok(await sa('older'));
    assert.equal((await sa('team-a'))?.metadata?.resourceVersion, before);
  });

  it('puts back a deleted default account on the next pass', async () => {
    const ctx = store.context(
      systemAttributes(
        { group: '', version: 'v1', resource: 'serviceaccounts' },
        'team-a',
        'default',
      ),
    );
    await deleteObject(store, ctx, new Uint8Array());
    assert.equal(await sa('team-a'), undefined);
    await ensureDefaultServiceAccounts(store);
    assert.ok(await sa('team-a'));
  });
});
