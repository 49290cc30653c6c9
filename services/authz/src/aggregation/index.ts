export { aggregatedRules, isAggregated, type ClusterRoleLike } from './aggregate.js';
export {
  ClusterRoleAggregationController,
  type AggregationControllerOptions,
  type ClusterRoleSource,
} from './controller.js';
