// PersistentVolumeClaimResize (plugin/pkg/admission/storage/persistentvolume/resize): a
// claim may only grow when it is bound and its StorageClass allows volume expansion.
import { compareQuantities, tryParseQuantity } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import { admissionForbidden, isResource, type ObjectLister } from '../builtin-support/index.js';

export const PERSISTENT_VOLUME_CLAIM_RESIZE_PLUGIN_NAME = 'PersistentVolumeClaimResize';
const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

export interface PersistentVolumeClaimResizeOptions {
  storageClasses: ObjectLister;
}

interface ClaimLike {
  metadata?: { annotations?: Record<string, string> };
  spec?: { storageClassName?: string; resources?: { requests?: Record<string, unknown> } };
  status?: { phase?: string };
}

const ZERO = { digits: 0n, scale: 0, format: 'DecimalSI' as const };
const storageOf = (c: ClaimLike) => tryParseQuantity(c.spec?.resources?.requests?.storage) ?? ZERO;

/** kube's GetPersistentVolumeClaimClass: the beta annotation wins over the field. */
const classOf = (c: ClaimLike) =>
  c.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? c.spec?.storageClassName ?? '';

export class PersistentVolumeClaimResizePlugin implements Plugin {
  readonly name = PERSISTENT_VOLUME_CLAIM_RESIZE_PLUGIN_NAME;

  constructor(private readonly options: PersistentVolumeClaimResizeOptions) {}

  handles(operation: Operation): boolean {
    return operation === 'UPDATE';
  }

  async validate(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    if (!isResource(a, '', 'persistentvolumeclaims') || a.subresource !== '') return;
    const pvc = a.object as ClaimLike | undefined;
    const old = a.oldObject as ClaimLike | undefined;
    if (!pvc || !old) return;
    if (compareQuantities(storageOf(pvc), storageOf(old)) <= 0) return;
    if (old.status?.phase !== 'Bound')
      throw admissionForbidden(a, 'Only bound persistent volume claims can be expanded');
    if (!(await this.allowResize(pvc, old)))
      throw admissionForbidden(
        a,
        'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
      );
  }

  private async allowResize(pvc: ClaimLike, old: ClaimLike): Promise<boolean> {
    const name = classOf(pvc);
    if (name === '' || name !== classOf(old)) return false;
    let sc: KubeObject | undefined;
    try {
      sc = await this.options.storageClasses.get('', name);
    } catch {
      return false;
    }
    return (sc as { allowVolumeExpansion?: unknown } | undefined)?.allowVolumeExpansion === true;
  }
}
