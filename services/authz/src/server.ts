// The Authorizer gRPC service: the authorizer seam carried over the network.
import { unary, type ServiceRegistration } from '@splitplane/kit';
import {
  AuthorizerService,
  type AuthorizeRequest,
  type AuthorizeResponse,
  Decision as WireDecision,
  UserInfo,
} from '@splitplane/proto';
import type { Authorizer, Decision } from './authorizer/index.js';

const wireDecision: Record<Decision, WireDecision> = {
  Allow: WireDecision.DECISION_ALLOW,
  Deny: WireDecision.DECISION_DENY,
  NoOpinion: WireDecision.DECISION_NO_OPINION,
};

export function authorizerService(authorizer: Authorizer): ServiceRegistration {
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
          evaluationError: '',
        };
      }),
    },
  };
}
