export {
  NamespaceLifecyclePlugin,
  NAMESPACE_LIFECYCLE_PLUGIN_NAME,
  IMMORTAL_NAMESPACES,
  type NamespaceLifecycleOptions,
} from './plugin.js';
export { namespaceLifecycleFactory } from './factory.js';
