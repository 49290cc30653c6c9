// The system PriorityClasses against a real etcd: created once, left alone on later
// starts, and a DELETE of one is kube's 403.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '@splitplane/apimachinery';
import { BUILTIN_RESOURCES, Scheme } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { systemAttributes } from '../namespace-controller/system-namespaces.js';
import { strategyFor } from '../strategies/index.js';
import { deleteObject } from '../store/delete.js';
import { Store } from '../store/store.js';
import { ensureSystemPriorityClasses } from './system-priority-classes.js';

const GVR = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };

describe('system priority classes', () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;
  let store: Store;
  const get = async (name: string) => {
    const def = store.scheme.resource('scheduling.k8s.io', 'v1', 'priorityclasses')!;
    return (await store.storage.get(store.key(def, '', name)))?.obj;
  };

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    store = new Store({ storage, scheme: new Scheme(BUILTIN_RESOURCES), strategyFor });
  });
  after(async () => {
    storage?.close();
    await etcd?.stop();
  });

  it('creates system-node-critical and system-cluster-critical, idempotently', async () => {
    await ensureSystemPriorityClasses(store);
    const first = await get('system-node-critical');
    assert.equal(first?.['value'], 2000001000);
    assert.equal(first?.['preemptionPolicy'], 'PreemptLowerPriority');
    assert.equal(first?.['globalDefault'], false);
    assert.equal((await get('system-cluster-critical'))?.['value'], 2000000000);
    await ensureSystemPriorityClasses(store);
    const again = await get('system-node-critical');
    assert.equal(again?.metadata?.resourceVersion, first?.metadata?.resourceVersion);
  });

  it('refuses to delete a system class with 403 Forbidden', async () => {
    const ctx = store.context(systemAttributes(GVR, '', 'system-node-critical'));
    await assert.rejects(deleteObject(store, ctx, new Uint8Array()), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.code, 403);
      assert.equal(err.reason, 'Forbidden');
      assert.equal(
        err.message,
        'priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted',
      );
      return true;
    });
    assert.ok(await get('system-node-critical'));
  });
});
