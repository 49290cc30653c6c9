export {
  DefaultStorageClassPlugin,
  DEFAULT_STORAGE_CLASS_PLUGIN_NAME,
  IS_DEFAULT_STORAGE_CLASS_ANNOTATION,
  BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION,
  BETA_STORAGE_CLASS_ANNOTATION,
  type DefaultStorageClassOptions,
} from './plugin.js';
export { defaultStorageClassFactory } from './factory.js';
