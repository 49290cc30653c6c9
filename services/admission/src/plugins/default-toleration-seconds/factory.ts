import type { PluginFactory } from '../../chain/plugin-deps.js';
import { DefaultTolerationSecondsPlugin, type DefaultTolerationSecondsOptions } from './plugin.js';

/**
 * kube's DefaultTolerationSeconds Configuration (defaulttolerationseconds.admission.k8s.io):
 * `defaultTolerationSecondsConfig.{notReadyTolerationSeconds,unreachableTolerationSeconds}`;
 * anything absent keeps the 300 s kube's flags default to.
 */
export function defaultTolerationSecondsOptionsFrom(raw: unknown): DefaultTolerationSecondsOptions {
  const doc = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const config = (doc.defaultTolerationSecondsConfig ?? {}) as Record<string, unknown>;
  const seconds = (v: unknown) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
  const notReadySeconds = seconds(config.notReadyTolerationSeconds);
  const unreachableSeconds = seconds(config.unreachableTolerationSeconds);
  return {
    ...(notReadySeconds === undefined ? {} : { notReadySeconds }),
    ...(unreachableSeconds === undefined ? {} : { unreachableSeconds }),
  };
}

export const defaultTolerationSecondsFactory: PluginFactory = (deps) =>
  new DefaultTolerationSecondsPlugin(
    defaultTolerationSecondsOptionsFrom(deps.pluginConfig('DefaultTolerationSeconds')),
  );
