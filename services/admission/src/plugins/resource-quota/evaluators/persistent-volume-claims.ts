// kube's PVC quota evaluator: claims and requests.storage, also per storage class as
// <class>.storageclass.storage.k8s.io/<resource>; storage rounds up to whole bytes and
// follows status.allocatedResources when that is larger (RecoverVolumeExpansionFailure).
import { compareQuantities, type Quantity } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { parseResourceList, quantityOf, type ResourceList } from '../resource-list.js';
import type { Evaluator } from './types.js';

type Json = Record<string, unknown>;

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
const PVC_RESOURCES = ['persistentvolumeclaims', 'requests.storage'];

function storageClassOf(pvc: KubeObject): string {
  const spec = (pvc.spec ?? {}) as Json;
  if (typeof spec['storageClassName'] === 'string') return spec['storageClassName'];
  // The beta annotation still names the class when the field is unset.
  return pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
}

/** Whole bytes, rounded up. */
function roundUp(q: Quantity): Quantity {
  if (q.scale >= 0) return q;
  const div = 10n ** BigInt(-q.scale);
  const whole = q.digits / div + (q.digits % div > 0n ? 1n : 0n);
  return { digits: whole, scale: 0, format: q.format };
}

function storageUsage(pvc: KubeObject): Quantity | undefined {
  const spec = (pvc.spec ?? {}) as Json;
  const requested = parseResourceList(((spec['resources'] ?? {}) as Json)['requests'])['storage'];
  if (!requested) return undefined;
  let result = roundUp(requested);
  const allocated = parseResourceList(((pvc.status ?? {}) as Json)['allocatedResources'])[
    'storage'
  ];
  if (allocated && compareQuantities(allocated, result) > 0) result = roundUp(allocated);
  return result;
}

export const persistentVolumeClaimEvaluator: Evaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  handles: ({ operation }) => operation === 'CREATE' || operation === 'UPDATE',
  matchingResources: (names) =>
    names.filter(
      (n) =>
        n === 'count/persistentvolumeclaims' ||
        PVC_RESOURCES.includes(n) ||
        PVC_RESOURCES.some((r) => n.endsWith(STORAGE_CLASS_SUFFIX + r)),
    ),
  matchesScope: () => false,
  constraints: () => undefined,
  usage(pvc: KubeObject): ResourceList {
    const out: ResourceList = {
      persistentvolumeclaims: quantityOf(1),
      'count/persistentvolumeclaims': quantityOf(1),
    };
    const cls = storageClassOf(pvc);
    if (cls) out[`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = quantityOf(1);
    const storage = storageUsage(pvc);
    if (storage) {
      out['requests.storage'] = storage;
      if (cls) out[`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`] = storage;
    }
    return out;
  },
};
