import type { PluginFactory } from '../../chain/plugin-deps.js';
import { hubLister, RUNTIME_CLASSES } from '../builtin-support/index.js';
import { RuntimeClassPlugin } from './plugin.js';

export const runtimeClassFactory: PluginFactory = (deps) => {
  const cache = hubLister(deps.hub, RUNTIME_CLASSES);
  return new RuntimeClassPlugin({
    runtimeClasses: {
      // The cache may lag a class created a moment ago: a miss is read live.
      get: async (name) =>
        (await cache.get('', name)) ?? (await deps.hub.get(RUNTIME_CLASSES, '', name)),
    },
  });
};
