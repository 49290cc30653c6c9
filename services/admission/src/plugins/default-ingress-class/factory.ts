import type { PluginFactory } from '../../chain/plugin-deps.js';
import { hubLister, INGRESS_CLASSES } from '../builtin-support/index.js';
import { DefaultIngressClassPlugin } from './plugin.js';

export const defaultIngressClassFactory: PluginFactory = (deps) =>
  new DefaultIngressClassPlugin({ ingressClasses: hubLister(deps.hub, INGRESS_CLASSES) });
