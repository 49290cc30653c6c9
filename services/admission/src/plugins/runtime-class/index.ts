export {
  RuntimeClassPlugin,
  RUNTIME_CLASS_PLUGIN_NAME,
  type RuntimeClassLister,
  type RuntimeClassOptions,
} from './plugin.js';
export { mergeTolerations, isSuperset, type Toleration } from './tolerations.js';
export { runtimeClassFactory } from './factory.js';
