// The Authorizer gRPC service: the authorizer seam carried over the network, with the
// rules review (SelfSubjectRulesReview) and the RBAC escalation check the registry asks.
import { newBadRequest } from '@splitplane/apimachinery';
import { unary, type ServiceRegistration } from '@splitplane/kit';
import {
  AuthorizerService,
  type AuthorizeRequest,
  type AuthorizeResponse,
  type EscalationCheckRequest,
  type EscalationCheckResponse,
  Decision as WireDecision,
  type RulesReviewRequest,
  type RulesReviewResponse,
  UserInfo,
} from '@splitplane/proto';
import type { Authorizer, Decision } from './authorizer/index.js';
import { EscalationChecker, UnknownRbacKindError } from './rbac/escalation.js';
import type { RbacView } from './rbac/rbac-view.js';
import { evaluationError, NO_RULES, type RuleResolver } from './rbac/rules-review.js';

const wireDecision: Record<Decision, WireDecision> = {
  Allow: WireDecision.DECISION_ALLOW,
  Deny: WireDecision.DECISION_DENY,
  NoOpinion: WireDecision.DECISION_NO_OPINION,
};

export interface AuthorizerServiceOptions {
  /** What RulesReview enumerates (the chain's rule resolvers); no rules when absent. */
  rules?: RuleResolver;
  /** The RBAC objects ConfirmNoEscalation reads the user's own rules from. */
  rbac?: RbacView;
}

export function authorizerService(
  authorizer: Authorizer,
  opts: AuthorizerServiceOptions = {},
): ServiceRegistration {
  const rules = opts.rules ?? NO_RULES;
  // kube's registry asks the whole chain whether the user may escalate or bind.
  const escalation = new EscalationChecker(authorizer, opts.rbac);
  return {
    name: 'splitplane.v1.Authorizer',
    definition: AuthorizerService,
    implementation: {
      authorize: unary<AuthorizeRequest, AuthorizeResponse>(async (request) => {
        const result = await authorizer.authorize({
          user: request.user ?? UserInfo.fromPartial({}),
          verb: request.verb,
          resourceRequest: request.resourceRequest,
          path: request.path,
          apiGroup: request.apiGroup,
          apiVersion: request.apiVersion,
          resource: request.resource,
          subresource: request.subresource,
          namespace: request.namespace,
          name: request.name,
        });
        return {
          decision: wireDecision[result.decision],
          reason: result.reason,
          evaluationError: result.evaluationError ?? '',
        };
      }),
      rulesReview: unary<RulesReviewRequest, RulesReviewResponse>(async (request) => {
        const user = request.user ?? UserInfo.fromPartial({});
        const found = rules.rulesFor(user, request.namespace);
        return {
          resourceRules: found.resourceRules.map((r) => ({
            verbs: r.verbs ?? [],
            apiGroups: r.apiGroups ?? [],
            resources: r.resources ?? [],
            resourceNames: r.resourceNames ?? [],
          })),
          nonResourceRules: found.nonResourceRules.map((r) => ({
            verbs: r.verbs ?? [],
            nonResourceUrls: r.nonResourceURLs ?? [],
          })),
          incomplete: found.incomplete,
          evaluationError: evaluationError(found.errors),
        };
      }),
      confirmNoEscalation: unary<EscalationCheckRequest, EscalationCheckResponse>(
        async (request) => {
          let object: unknown;
          try {
            object = JSON.parse(Buffer.from(request.object).toString('utf8'));
          } catch (err) {
            throw newBadRequest(`the ${request.kind} object is not valid JSON`, err);
          }
          if (typeof object !== 'object' || object === null) {
            throw newBadRequest(`the ${request.kind} object is not a JSON object`);
          }
          const user = request.user ?? UserInfo.fromPartial({});
          try {
            return await escalation.check({
              user,
              kind: request.kind,
              namespace: request.namespace,
              object,
              creating: request.operation === 'CREATE',
            });
          } catch (err) {
            if (err instanceof UnknownRbacKindError) throw newBadRequest(err.message, err);
            throw err;
          }
        },
      ),
    },
  };
}
