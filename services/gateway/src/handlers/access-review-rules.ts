// SelfSubjectRulesReview (`kubectl auth can-i --list`): the rules the requester holds in a
// namespace, from the authz service's RulesReview. As kube's REST: the namespace is
// required, the answer carries an empty spec, and a partial evaluation sets incomplete and
// evaluationError instead of failing.
import type { Request } from 'express';
import { newBadRequest } from '@splitplane/apimachinery';
import type {
  AuthorizerClient,
  NonResourceRule,
  ResourceRule,
  RulesReviewRequest,
  RulesReviewResponse,
} from '@splitplane/proto';
import { contextOf } from '../request-context.js';
import { unaryCall } from '../backends/unary.js';

interface RulesReviewSpec {
  namespace?: string;
}

export async function rulesReview(
  req: Request,
  authz: AuthorizerClient,
  review: { spec?: unknown },
): Promise<Record<string, unknown>> {
  const ctx = contextOf(req);
  if (!ctx.user) throw newBadRequest('no user present on request');
  const namespace = (review.spec as RulesReviewSpec | undefined)?.namespace ?? '';
  if (!namespace) throw newBadRequest('no namespace on request');
  const answer = await unaryCall<RulesReviewRequest, RulesReviewResponse>(
    authz,
    authz.rulesReview,
    { user: ctx.user, namespace },
    { deadline: ctx.deadline, abortable: ctx, auditId: ctx.auditId },
    'authz',
  );
  return rulesReviewObject(answer);
}

/** The v1 JSON kube writes: both rule lists and incomplete always present. */
export function rulesReviewObject(answer: RulesReviewResponse): Record<string, unknown> {
  const status: Record<string, unknown> = {
    resourceRules: answer.resourceRules.map(resourceRule),
    nonResourceRules: answer.nonResourceRules.map(nonResourceRule),
    incomplete: answer.incomplete,
  };
  if (answer.evaluationError) status.evaluationError = answer.evaluationError;
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: {},
    status,
  };
}

function resourceRule(r: ResourceRule): Record<string, unknown> {
  const out: Record<string, unknown> = { verbs: r.verbs };
  if (r.apiGroups.length) out.apiGroups = r.apiGroups;
  if (r.resources.length) out.resources = r.resources;
  if (r.resourceNames.length) out.resourceNames = r.resourceNames;
  return out;
}

function nonResourceRule(r: NonResourceRule): Record<string, unknown> {
  const out: Record<string, unknown> = { verbs: r.verbs };
  if (r.nonResourceUrls.length) out.nonResourceURLs = r.nonResourceUrls;
  return out;
}
