// The CEL `authorizer` library's checks answered by authz's Authorize RPC. The admission
// service's certificate is trusted to assert the request's user (kit's caller identity).
import { call } from '@splitplane/kit';
import { AuthorizeRequest, Decision, type AuthorizerClient } from '@splitplane/proto';
import type { AuthorizationCheck, AuthorizationResult, CelAuthorizer } from '../cel/index.js';

const AUTHORIZE_TIMEOUT_MS = 5_000;

export class GrpcCelAuthorizer implements CelAuthorizer {
  constructor(private readonly client: AuthorizerClient) {}

  async authorize(check: AuthorizationCheck): Promise<AuthorizationResult> {
    const extra: Record<string, { values: string[] }> = {};
    for (const [k, v] of Object.entries(check.user.extra ?? {})) extra[k] = { values: [...v] };
    const request = AuthorizeRequest.fromPartial({
      user: {
        username: check.user.username,
        uid: check.user.uid ?? '',
        groups: [...check.user.groups],
        extra,
      },
      verb: check.verb,
      resourceRequest: check.resourceRequest,
      path: check.path ?? '',
      apiGroup: check.group ?? '',
      apiVersion: check.version ?? '',
      resource: check.resource ?? '',
      subresource: check.subresource ?? '',
      namespace: check.namespace ?? '',
      name: check.name ?? '',
    });
    try {
      const res = await call(
        this.client,
        this.client.authorize,
        request,
        { deadline: new Date(Date.now() + AUTHORIZE_TIMEOUT_MS) },
        'authz',
      );
      const decision =
        res.decision === Decision.DECISION_ALLOW
          ? 'Allow'
          : res.decision === Decision.DECISION_DENY
            ? 'Deny'
            : 'NoOpinion';
      return {
        decision,
        reason: res.reason,
        ...(res.evaluationError ? { error: res.evaluationError } : {}),
      };
    } catch (err) {
      // kube's authorizer library reports a failed authorizer as an errored Decision.
      return { decision: 'NoOpinion', reason: '', error: (err as Error).message };
    }
  }
}
