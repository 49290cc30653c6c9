import type { PluginFactory } from '../../chain/plugin-deps.js';
import { hubLister, LIMIT_RANGES } from '../builtin-support/index.js';
import { LimitRangerPlugin } from './plugin.js';

export const limitRangerFactory: PluginFactory = (deps) =>
  new LimitRangerPlugin({ limitRanges: hubLister(deps.hub, LIMIT_RANGES) });
