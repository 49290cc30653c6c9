import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { mapLister, testAttributes, type TestRequest } from '../builtin-support/index.js';
import { StorageObjectInUseProtectionPlugin } from '../storage-object-in-use-protection/index.js';
import { TaintNodesByConditionPlugin } from '../taint-nodes-by-condition/index.js';
import { PersistentVolumeClaimResizePlugin } from './plugin.js';

const ctx = () => ({ warnings: [], auditAnnotations: {} });
const claim = (storage: string, phase = 'Bound', cls = 'fast'): KubeObject => ({
  metadata: { name: 'data', namespace: 'd' },
  spec: { storageClassName: cls, resources: { requests: { storage } } },
  status: { phase },
});
const CLASSES = [
  { metadata: { name: 'fast' }, allowVolumeExpansion: true },
  { metadata: { name: 'fixed' } },
] as KubeObject[];
const req = (object: KubeObject, oldObject: KubeObject): TestRequest => ({
  operation: 'UPDATE',
  kind: 'PersistentVolumeClaim',
  resource: 'persistentvolumeclaims',
  object,
  oldObject,
});

async function resize(r: TestRequest) {
  const plugin = new PersistentVolumeClaimResizePlugin({ storageClasses: mapLister(CLASSES) });
  try {
    await plugin.validate(testAttributes(r), ctx());
    return undefined;
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    return err;
  }
}

describe('PersistentVolumeClaimResize', () => {
  it('lets a bound claim of an expandable class grow, and any claim shrink or stay', async () => {
    assert.equal(await resize(req(claim('2Gi'), claim('1Gi'))), undefined);
    assert.equal(
      await resize(req(claim('1Gi', 'Pending', 'fixed'), claim('1Gi', 'Pending', 'fixed'))),
      undefined,
    );
  });

  it('refuses growing an unbound claim', async () => {
    const err = await resize(req(claim('2Gi', 'Pending'), claim('1Gi', 'Pending')));
    assert.equal(err?.code, 403);
    assert.equal(
      err?.message,
      'persistentvolumeclaims "data" is forbidden: Only bound persistent volume claims can be expanded',
    );
  });

  it('refuses growing when the class does not allow expansion', async () => {
    for (const cls of ['fixed', 'missing', '']) {
      const err = await resize(req(claim('2Gi', 'Bound', cls), claim('1Gi', 'Bound', cls)));
      assert.equal(
        err?.message,
        'persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
      );
    }
  });
});

describe('StorageObjectInUseProtection', () => {
  it('adds the protection finalizer to new PVs and PVCs once', async () => {
    const plugin = new StorageObjectInUseProtectionPlugin();
    const pvc: KubeObject = { metadata: { name: 'c', finalizers: ['x'] } };
    await plugin.admit(
      testAttributes({
        kind: 'PersistentVolumeClaim',
        resource: 'persistentvolumeclaims',
        object: pvc,
      }),
      ctx(),
    );
    assert.deepEqual(pvc.metadata?.finalizers, ['x', 'kubernetes.io/pvc-protection']);
    await plugin.admit(
      testAttributes({
        kind: 'PersistentVolumeClaim',
        resource: 'persistentvolumeclaims',
        object: pvc,
      }),
      ctx(),
    );
    assert.deepEqual(pvc.metadata?.finalizers, ['x', 'kubernetes.io/pvc-protection']);
    const pv: KubeObject = { metadata: { name: 'v' } };
    await plugin.admit(
      testAttributes({
        kind: 'PersistentVolume',
        resource: 'persistentvolumes',
        namespace: '',
        object: pv,
      }),
      ctx(),
    );
    assert.deepEqual(pv.metadata?.finalizers, ['kubernetes.io/pv-protection']);
  });
});

describe('TaintNodesByCondition', () => {
  it('taints a new node not-ready:NoSchedule unless it already is', async () => {
    const plugin = new TaintNodesByConditionPlugin();
    const node: KubeObject = { metadata: { name: 'n' }, spec: {} };
    const attrs = testAttributes({ kind: 'Node', resource: 'nodes', namespace: '', object: node });
    await plugin.admit(attrs, ctx());
    await plugin.admit(attrs, ctx());
    assert.deepEqual((node.spec as any).taints, [
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
    ]);
  });
});
