// Webhook matchConditions in CEL (kube's matchconditions.matcher): object, oldObject, request
// and authorizer are bound; a false condition skips the webhook whatever else errored, and
// errors otherwise decide by failurePolicy (in the webhook invocation code).
import { CelCompiler, type CelAuthorizer, type CompiledExpression } from '../cel/index.js';
import type { AdmissionAttributes } from '../chain/plugin.js';
import { authorizerFor, requestObject } from '../policy/index.js';
import type {
  MatchCondition,
  MatchConditionEvaluator,
  MatchConditionResult,
  MatchedAs,
} from '../webhook/index.js';

/** The variables kube's webhook matchConditions may reference. */
export const MATCH_CONDITION_VARIABLES = ['object', 'oldObject', 'request', 'authorizer'] as const;

export class CelMatchConditionEvaluator implements MatchConditionEvaluator {
  constructor(
    private readonly compiler: CelCompiler = new CelCompiler(),
    private readonly authorizer?: CelAuthorizer,
  ) {}

  async evaluate(
    conditions: readonly MatchCondition[],
    attributes: AdmissionAttributes,
    matchedAs: MatchedAs,
  ): Promise<MatchConditionResult> {
    const activation = {
      object: attributes.object ?? null,
      oldObject: attributes.oldObject ?? null,
      request: requestObject(attributes, matchedAs),
      authorizer: authorizerFor(attributes, this.authorizer),
    };
    const errors: string[] = [];
    for (const condition of conditions) {
      let compiled: CompiledExpression;
      try {
        compiled = this.compiler.compile(condition.expression, ['bool']);
      } catch (err) {
        errors.push(`compilation error: ${(err as Error).message}`);
        continue;
      }
      let value: unknown;
      try {
        value = await compiled.evaluateAsync(activation);
      } catch (err) {
        errors.push(
          `expression '${condition.expression}' resulted in error: ${(err as Error).message}`,
        );
        continue;
      }
      if (value === false) return { matches: false, failedCondition: condition.name };
      if (value !== true)
        errors.push(
          `expression '${condition.expression}' resulted in error: no such overload: expected bool`,
        );
    }
    // kube aggregates: one error reads as itself, several as "[a, b]".
    if (errors.length === 1) return { error: new Error(errors[0]) };
    if (errors.length > 1) return { error: new Error(`[${errors.join(', ')}]`) };
    return { matches: true };
  }
}
