import type { PluginFactory } from '../../chain/plugin-deps.js';
import { hubLister, STORAGE_CLASSES } from '../builtin-support/index.js';
import { DefaultStorageClassPlugin } from './plugin.js';

export const defaultStorageClassFactory: PluginFactory = (deps) =>
  new DefaultStorageClassPlugin({ storageClasses: hubLister(deps.hub, STORAGE_CLASSES) });
