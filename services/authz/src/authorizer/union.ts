// Asks each authorizer in --authorization-mode order; the first Allow or Deny wins, as
// kube's union authorizer does. Reasons of the undecided are kept for the 403 message, and
// their evaluation errors are reported together (kube's error aggregate).
import type { Attributes, AuthorizationResult, Authorizer } from './authorizer.js';

export class UnionAuthorizer implements Authorizer {
  constructor(private readonly authorizers: Authorizer[]) {}

  async authorize(attributes: Attributes): Promise<AuthorizationResult> {
    const reasons: string[] = [];
    const errors: string[] = [];
    for (const authorizer of this.authorizers) {
      const result = await authorizer.authorize(attributes);
      if (result.decision !== 'NoOpinion') return result;
      if (result.reason) reasons.push(result.reason);
      if (result.evaluationError) errors.push(result.evaluationError);
    }
    const result: AuthorizationResult = { decision: 'NoOpinion', reason: reasons.join('\n') };
    if (errors.length === 1) result.evaluationError = errors[0]!;
    else if (errors.length > 1) result.evaluationError = `[${errors.join(', ')}]`;
    return result;
  }
}
