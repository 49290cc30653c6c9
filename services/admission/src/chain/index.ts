export {
  OPERATIONS,
  type AdmissionAttributes,
  type AdmissionContext,
  type Operation,
  type Plugin,
} from './plugin.js';
export { AdmissionChain, type ChainDescription, type PluginDescription } from './chain.js';
export type { InformerHub, PluginDeps, PluginFactory } from './plugin-deps.js';
export {
  ALL_ORDERED_PLUGINS,
  AdmissionPluginConfigError,
  DEFAULT_ON_PLUGINS,
  chainFor,
  factories,
  selectPlugins,
  type PluginSelection,
} from './plugins.js';
