export {
  DefaultIngressClassPlugin,
  DEFAULT_INGRESS_CLASS_PLUGIN_NAME,
  IS_DEFAULT_INGRESS_CLASS_ANNOTATION,
  INGRESS_CLASS_ANNOTATION,
  type DefaultIngressClassOptions,
} from './plugin.js';
export { defaultIngressClassFactory } from './factory.js';
