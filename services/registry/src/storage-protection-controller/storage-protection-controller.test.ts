// The protection finalizers against a real etcd: a claim in use by a running pod stays
// while being deleted and goes once the pod is done; an unused one goes at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@splitplane/kit';
import { BUILTIN_RESOURCES, Scheme, type KubeObject } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { systemAttributes } from '../namespace-controller/system-namespaces.js';
import { strategyFor } from '../strategies/index.js';
import { createObject } from '../store/create.js';
import { deleteObject } from '../store/delete.js';
import { Store } from '../store/store.js';
import { runUpdate } from '../store/update-loop.js';
import { StorageProtectionController } from './storage-protection-controller.js';

const gvr = (resource: string) => ({ group: '', version: 'v1', resource });

describe('storage protection controller', () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;
  let store: Store;
  let controller: StorageProtectionController;
  const get = async (resource: string, namespace: string, name: string) => {
    const def = store.scheme.resource('', 'v1', resource)!;
    return (await store.storage.get(store.key(def, namespace, name)))?.obj;
  };
  const create = (resource: string, namespace: string, obj: KubeObject) =>
    createObject(
      store,
      store.context(systemAttributes(gvr(resource), namespace, obj.metadata!.name!)),
      obj,
      false,
    );
  const remove = (resource: string, namespace: string, name: string) =>
    deleteObject(
      store,
      store.context(systemAttributes(gvr(resource), namespace, name)),
      new Uint8Array(),
    );

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    store = new Store({ storage, scheme: new Scheme(BUILTIN_RESOURCES), strategyFor });
    controller = new StorageProtectionController(store, createLogger('storage-protection-test'), {
      identity: 'test',
    });
    await create('namespaces', '', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'd' },
    });
  });
  after(async () => {
    storage?.close();
    await etcd?.stop();
  });

  it('keeps a claim a running pod uses, releases it when the pod is done', async () => {
    await create('persistentvolumeclaims', 'd', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'd', finalizers: ['kubernetes.io/pvc-protection'] },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    await create('pods', 'd', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'user', namespace: 'd' },
      spec: {
        nodeName: 'n1',
        containers: [{ name: 'c', image: 'x' }],
        volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }],
      },
    });
    await remove('persistentvolumeclaims', 'd', 'data');
    await controller.syncAll();
    assert.ok((await get('persistentvolumeclaims', 'd', 'data'))?.metadata?.deletionTimestamp);
    const ctx = store.context({
      ...systemAttributes(gvr('pods'), 'd', 'user'),
      subresource: 'status',
    });
    await runUpdate(store, ctx, {
      compute: (current) => ({ ...structuredClone(current!), status: { phase: 'Succeeded' } }),
    });
    await controller.syncAll();
    assert.equal(await get('persistentvolumeclaims', 'd', 'data'), undefined);
  });

  it('releases a claim no pod uses at once, and leaves claims not being deleted alone', async () => {
    const claim = (name: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'd', finalizers: ['kubernetes.io/pvc-protection'] },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    await create('persistentvolumeclaims', 'd', claim('idle'));
    await create('persistentvolumeclaims', 'd', claim('kept'));
    await remove('persistentvolumeclaims', 'd', 'idle');
    await controller.syncAll();
    assert.equal(await get('persistentvolumeclaims', 'd', 'idle'), undefined);
    assert.deepEqual((await get('persistentvolumeclaims', 'd', 'kept'))?.metadata?.finalizers, [
      'kubernetes.io/pvc-protection',
    ]);
  });
});
