// StorageObjectInUseProtection (plugin/pkg/admission/storage/storageobjectinuseprotection):
// new PersistentVolumes and claims carry the protection finalizer, so one still in use is
// not removed from under a pod.
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import { isResource } from '../builtin-support/index.js';

export const STORAGE_OBJECT_IN_USE_PROTECTION_PLUGIN_NAME = 'StorageObjectInUseProtection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';

export class StorageObjectInUseProtectionPlugin implements Plugin {
  readonly name = STORAGE_OBJECT_IN_USE_PROTECTION_PLUGIN_NAME;

  handles(operation: Operation): boolean {
    return operation === 'CREATE';
  }

  async admit(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    if (a.subresource !== '' || !a.object) return;
    const finalizer = isResource(a, '', 'persistentvolumes')
      ? PV_PROTECTION_FINALIZER
      : isResource(a, '', 'persistentvolumeclaims')
        ? PVC_PROTECTION_FINALIZER
        : undefined;
    if (!finalizer) return;
    const meta = (a.object.metadata ??= {}) as { finalizers?: string[] };
    const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    if (finalizers.includes(finalizer)) return;
    meta.finalizers = [...finalizers, finalizer];
  }
}

export const storageObjectInUseProtectionFactory = () => new StorageObjectInUseProtectionPlugin();
