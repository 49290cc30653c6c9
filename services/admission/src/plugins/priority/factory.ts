import type { PluginFactory } from '../../chain/plugin-deps.js';
import { hubLister, PRIORITY_CLASSES } from '../builtin-support/index.js';
import { PriorityPlugin } from './plugin.js';

export const priorityFactory: PluginFactory = (deps) =>
  new PriorityPlugin({ priorityClasses: hubLister(deps.hub, PRIORITY_CLASSES) });
