export { PriorityPlugin, PRIORITY_PLUGIN_NAME, type PriorityOptions } from './plugin.js';
export { priorityFactory } from './factory.js';
