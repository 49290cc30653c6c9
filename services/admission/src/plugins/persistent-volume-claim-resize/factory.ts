import type { PluginFactory } from '../../chain/plugin-deps.js';
import { hubLister, STORAGE_CLASSES } from '../builtin-support/index.js';
import { PersistentVolumeClaimResizePlugin } from './plugin.js';

export const persistentVolumeClaimResizeFactory: PluginFactory = (deps) =>
  new PersistentVolumeClaimResizePlugin({ storageClasses: hubLister(deps.hub, STORAGE_CLASSES) });
