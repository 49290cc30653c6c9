// DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault): a new claim
// that names no class (no storageClassName, not even "", and no beta annotation) gets the
// default StorageClass.
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import {
  admissionForbidden,
  isResource,
  newestDefault,
  type ObjectLister,
} from '../builtin-support/index.js';

export const DEFAULT_STORAGE_CLASS_PLUGIN_NAME = 'DefaultStorageClass';
export const IS_DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION =
  'storageclass.beta.kubernetes.io/is-default-class';
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

export interface DefaultStorageClassOptions {
  storageClasses: ObjectLister;
}

export class DefaultStorageClassPlugin implements Plugin {
  readonly name = DEFAULT_STORAGE_CLASS_PLUGIN_NAME;

  constructor(private readonly options: DefaultStorageClassOptions) {}

  handles(operation: Operation): boolean {
    return operation === 'CREATE';
  }

  async admit(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    if (!isResource(a, '', 'persistentvolumeclaims') || a.subresource !== '') return;
    const pvc = a.object as
      | { metadata?: { annotations?: Record<string, string> }; spec?: Record<string, unknown> }
      | undefined;
    if (!pvc) return;
    const spec = (pvc.spec ??= {});
    const hasClass =
      (spec.storageClassName !== undefined && spec.storageClassName !== null) ||
      BETA_STORAGE_CLASS_ANNOTATION in (pvc.metadata?.annotations ?? {});
    if (hasClass) return;
    let classes;
    try {
      classes = await this.options.storageClasses.list('');
    } catch (err) {
      throw admissionForbidden(a, err instanceof Error ? err.message : String(err));
    }
    const chosen = newestDefault(
      classes,
      (ann) =>
        ann[IS_DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true' ||
        ann[BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true',
    );
    if (chosen) spec.storageClassName = chosen.metadata?.name ?? '';
  }
}
