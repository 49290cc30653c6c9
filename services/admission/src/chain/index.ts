export {
  OPERATIONS,
  type AdmissionAttributes,
  type AdmissionContext,
  type Operation,
  type Plugin,
} from './plugin.js';
export { AdmissionChain, type ChainDescription, type PluginDescription } from './chain.js';
export { chainFor, UnknownPluginError } from './plugins.js';
