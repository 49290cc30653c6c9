// The hook for matchConditions (CEL). The CEL engine lives elsewhere; until one is injected a
// webhook with matchConditions cannot be decided and its failurePolicy applies.
import type { MatchConditionEvaluator, MatchConditionResult } from './types.js';

export class MatchConditionsUnsupportedError extends Error {
  constructor() {
    super('matchConditions are not supported: no CEL evaluator is configured');
    this.name = 'MatchConditionsUnsupportedError';
  }
}

export const unsupportedMatchConditions: MatchConditionEvaluator = {
  evaluate(): MatchConditionResult {
    return { error: new MatchConditionsUnsupportedError() };
  },
};
