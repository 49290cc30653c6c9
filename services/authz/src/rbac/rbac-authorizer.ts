// The RBAC mode: Allow when some rule the user holds in the request's namespace (cluster-wide
// rules included) matches, with kube's "RBAC: allowed by ..." reason. RBAC never denies: the
// rest is NoOpinion, whose reason carries role resolution errors as kube's does.
import type { Attributes, AuthorizationResult, Authorizer } from '../authorizer/authorizer.js';
import type { RbacView } from './rbac-view.js';
import { ruleAllows } from './rule-matches.js';
import { aggregateMessage, rulesFor, visitRulesFor } from './rule-resolver.js';
import type { RuleResolver, UserRules } from './rules-review.js';
import type { RbacUser } from './types.js';

export class RbacAuthorizer implements Authorizer, RuleResolver {
  constructor(private readonly view: RbacView) {}

  async authorize(attributes: Attributes): Promise<AuthorizationResult> {
    return this.authorizeSync(attributes);
  }

  /** The decision without a promise (benchmarks and the escalation check call it). */
  authorizeSync(attributes: Attributes): AuthorizationResult {
    const user = toRbacUser(attributes.user);
    let reason = '';
    const errors: Error[] = [];
    visitRulesFor(this.view, user, attributes.namespace, (source, rule, err) => {
      if (rule && ruleAllows(attributes, rule)) {
        reason = `RBAC: allowed by ${source()}`;
        return false;
      }
      if (err) errors.push(err);
      return true;
    });
    if (reason) return { decision: 'Allow', reason };
    return {
      decision: 'NoOpinion',
      reason: errors.length ? `RBAC: ${aggregateMessage(errors)}` : '',
    };
  }

  rulesFor(user: RbacUser, namespace: string): UserRules {
    const { rules, errors } = rulesFor(this.view, user, namespace);
    return {
      resourceRules: rules.filter((r) => (r.resources?.length ?? 0) > 0),
      nonResourceRules: rules.filter((r) => (r.nonResourceURLs?.length ?? 0) > 0),
      incomplete: false,
      errors,
    };
  }
}

export function toRbacUser(
  user: { username: string; groups?: readonly string[] } | undefined,
): RbacUser {
  return { username: user?.username ?? '', groups: user?.groups ?? [] };
}
