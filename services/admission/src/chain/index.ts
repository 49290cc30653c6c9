export type { AdmissionAttributes, AdmissionContext, Operation, Plugin } from './plugin.js';
export { AdmissionChain } from './chain.js';
export { chainFor, UnknownPluginError } from './plugins.js';
