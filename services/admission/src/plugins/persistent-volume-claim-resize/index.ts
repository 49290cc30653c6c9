export {
  PersistentVolumeClaimResizePlugin,
  PERSISTENT_VOLUME_CLAIM_RESIZE_PLUGIN_NAME,
  type PersistentVolumeClaimResizeOptions,
} from './plugin.js';
export { persistentVolumeClaimResizeFactory } from './factory.js';
