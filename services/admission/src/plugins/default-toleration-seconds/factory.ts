import type { PluginFactory } from '../../chain/plugin-deps.js';
import { DefaultTolerationSecondsPlugin } from './plugin.js';

/** Plugin configuration: `{ notReadySeconds?, unreachableSeconds? }` (kube sets these by flag). */
export const defaultTolerationSecondsFactory: PluginFactory = (deps) => {
  const config = (deps.pluginConfig('DefaultTolerationSeconds') ?? {}) as {
    notReadySeconds?: unknown;
    unreachableSeconds?: unknown;
  };
  const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
  const notReadySeconds = num(config.notReadySeconds);
  const unreachableSeconds = num(config.unreachableSeconds);
  return new DefaultTolerationSecondsPlugin({
    ...(notReadySeconds === undefined ? {} : { notReadySeconds }),
    ...(unreachableSeconds === undefined ? {} : { unreachableSeconds }),
  });
};
