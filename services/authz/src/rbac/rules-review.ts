// SelfSubjectRulesReview over the mode chain: each mode that can enumerate what a user may
// do contributes its rules; a mode that cannot (Webhook) marks the answer incomplete, as
// kube's union rule resolver does.
import { aggregateMessage } from './rule-resolver.js';
import type { PolicyRule, RbacUser } from './types.js';

export interface UserRules {
  resourceRules: PolicyRule[];
  nonResourceRules: PolicyRule[];
  incomplete: boolean;
  errors: Error[];
}

export interface RuleResolver {
  rulesFor(user: RbacUser, namespace: string): UserRules;
}

export const ALWAYS_ALLOW_RULES: RuleResolver = {
  rulesFor: () => ({
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
    errors: [],
  }),
};

export const NO_RULES: RuleResolver = {
  rulesFor: () => ({ resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] }),
};

export class RuleResolutionUnsupportedError extends Error {
  constructor(mode: string) {
    super(`${mode} authorizer does not support user rule resolution`);
    this.name = 'RuleResolutionUnsupportedError';
  }
}

/** A mode that cannot list rules (kube's webhook: "webhook authorizer does not support..."). */
export function unenumerableRules(mode: string): RuleResolver {
  return {
    rulesFor: () => ({
      resourceRules: [],
      nonResourceRules: [],
      incomplete: true,
      errors: [new RuleResolutionUnsupportedError(mode)],
    }),
  };
}

export class UnionRuleResolver implements RuleResolver {
  constructor(private readonly resolvers: readonly RuleResolver[]) {}

  rulesFor(user: RbacUser, namespace: string): UserRules {
    const out: UserRules = {
      resourceRules: [],
      nonResourceRules: [],
      incomplete: false,
      errors: [],
    };
    for (const resolver of this.resolvers) {
      const r = resolver.rulesFor(user, namespace);
      out.resourceRules.push(...r.resourceRules);
      out.nonResourceRules.push(...r.nonResourceRules);
      out.incomplete ||= r.incomplete;
      out.errors.push(...r.errors);
    }
    return out;
  }
}

/** The review's evaluationError text. */
export function evaluationError(errors: readonly Error[]): string {
  return errors.length ? aggregateMessage(errors) : '';
}
