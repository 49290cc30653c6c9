export {
  TaintNodesByConditionPlugin,
  TAINT_NODES_BY_CONDITION_PLUGIN_NAME,
  taintNodesByConditionFactory,
} from './plugin.js';
