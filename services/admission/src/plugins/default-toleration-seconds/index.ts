export {
  DefaultTolerationSecondsPlugin,
  DEFAULT_TOLERATION_SECONDS_PLUGIN_NAME,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_UNREACHABLE,
  type DefaultTolerationSecondsOptions,
} from './plugin.js';
export { defaultTolerationSecondsFactory, defaultTolerationSecondsOptionsFrom } from './factory.js';
