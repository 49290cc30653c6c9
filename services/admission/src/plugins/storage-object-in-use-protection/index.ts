export {
  StorageObjectInUseProtectionPlugin,
  STORAGE_OBJECT_IN_USE_PROTECTION_PLUGIN_NAME,
  PV_PROTECTION_FINALIZER,
  PVC_PROTECTION_FINALIZER,
  storageObjectInUseProtectionFactory,
} from './plugin.js';
