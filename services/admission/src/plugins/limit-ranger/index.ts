export {
  LimitRangerPlugin,
  LIMIT_RANGER_PLUGIN_NAME,
  LIMIT_RANGER_ANNOTATION,
  type LimitRangerOptions,
} from './plugin.js';
export { limitRangerFactory, limitRangeLister } from './factory.js';
