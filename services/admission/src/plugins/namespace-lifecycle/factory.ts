import type { PluginFactory } from '../../chain/plugin-deps.js';
import { hubLister, NAMESPACES } from '../builtin-support/index.js';
import { NamespaceLifecyclePlugin } from './plugin.js';

export const namespaceLifecycleFactory: PluginFactory = (deps) =>
  new NamespaceLifecyclePlugin({
    namespaces: hubLister(deps.hub, NAMESPACES),
    liveNamespace: (name) => deps.hub.get(NAMESPACES, '', name),
  });
