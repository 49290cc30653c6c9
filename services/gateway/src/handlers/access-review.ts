// authorization.k8s.io/v1 reviews: create-only, never-stored resources answered by the authz
// service. Requests reach here after the authorization filter has allowed `create` on them.
// - SubjectAccessReview (cluster): about the user the spec names;
// - LocalSubjectAccessReview (namespaced): the same, limited to the path's namespace;
// - SelfSubjectAccessReview (`kubectl auth can-i`): about the requester;
// - SelfSubjectRulesReview (`kubectl auth can-i --list`): access-review-rules.ts.
// Bodies may be JSON, YAML or Kubernetes protobuf (kubectl sends protobuf).
import type { Request, RequestHandler } from 'express';
import { invalid, newBadRequest, newInvalid, type FieldErrorList } from '@splitplane/apimachinery';
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type AuthorizeRequest,
  type AuthorizeResponse,
  type AuthorizerClient,
  Decision,
} from '@splitplane/proto';
import { contextOf } from '../request-context.js';
import { unaryCall } from '../backends/unary.js';
import { ephemeralDefinition, methodNotAllowed, readObject, sendCreated } from './ephemeral.js';
import {
  type AccessReviewSpec,
  attributesFrom,
  subjectOf,
  validateAttributesChoice,
  validateSubjectSpec,
} from './access-review-spec.js';
import { rulesReview } from './access-review-rules.js';

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';

/** Enough of a definition to negotiate and encode a review (protobuf included). */
export function reviewDefinition(kind: string, namespaced: boolean): ResourceDefinition {
  return ephemeralDefinition(AUTHORIZATION_GROUP, 'v1', kind, `${kind.toLowerCase()}s`, namespaced);
}

const DEFS = new Map<string, ResourceDefinition>(
  (
    [
      ['SubjectAccessReview', false],
      ['LocalSubjectAccessReview', true],
      ['SelfSubjectAccessReview', false],
      ['SelfSubjectRulesReview', false],
    ] as const
  ).map(([kind, namespaced]) => {
    const def = reviewDefinition(kind, namespaced);
    return [def.plural, def];
  }),
);

/** The four reviews, for this gateway's scheme (discovery and OpenAPI list them). */
export const ACCESS_REVIEW_DEFINITIONS: readonly ResourceDefinition[] = [...DEFS.values()];

/** The review body as decoded: the spec is what the handlers read, the rest is echoed. */
export interface ReviewObject {
  metadata?: Record<string, unknown> | null;
  spec?: AccessReviewSpec;
}

export function accessReviewHandler(authz: AuthorizerClient, maxBodyBytes: number): RequestHandler {
  return async (req, res, next) => {
    const { info } = contextOf(req);
    if (
      !info.isResourceRequest ||
      info.apiGroup !== AUTHORIZATION_GROUP ||
      info.apiVersion !== 'v1'
    )
      return next();
    const def = DEFS.get(info.resource);
    // Unknown resources and names/subresources under a review are the REST router's 404s.
    if (!def || info.name || info.subresource || def.namespaced !== !!info.namespace) return next();
    if (req.method !== 'POST') throw methodNotAllowed(req, def, `${def.plural}.${def.group}`);
    const review = (await readObject(req, def, maxBodyBytes)) as ReviewObject;
    const out =
      def.kind === 'SelfSubjectRulesReview'
        ? await rulesReview(req, authz, review)
        : await accessReview(req, authz, def, review);
    sendCreated(req, res, def, out);
  };
}

async function accessReview(
  req: Request,
  authz: AuthorizerClient,
  def: ResourceDefinition,
  review: ReviewObject,
): Promise<Record<string, unknown>> {
  const ctx = contextOf(req);
  const spec = review.spec ?? {};
  const metadata = { ...(review.metadata ?? {}) };
  let errs: FieldErrorList;
  let request: AuthorizeRequest;
  switch (def.kind) {
    case 'SelfSubjectAccessReview':
      errs = validateAttributesChoice(spec);
      request = attributesFrom(spec, ctx.user);
      break;
    case 'LocalSubjectAccessReview': {
      // kube's create handler: the object's namespace is the path's (or must be).
      const ns = ctx.info.namespace;
      if (metadata.namespace && metadata.namespace !== ns) {
        throw newBadRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      metadata.namespace = ns;
      errs = validateSubjectSpec(spec);
      if (spec.nonResourceAttributes) {
        errs.push(
          invalid(
            'spec.nonResourceAttributes',
            spec.nonResourceAttributes,
            'disallowed on this kind of request',
          ),
        );
      }
      request = attributesFrom(spec, subjectOf(spec));
      break;
    }
    default:
      errs = validateSubjectSpec(spec);
      request = attributesFrom(spec, subjectOf(spec));
  }
  if (errs.length) throw newInvalid({ group: def.group, kind: def.kind }, '', errs);
  // A local review may only ask about its own namespace.
  if (def.kind === 'LocalSubjectAccessReview' && request.namespace !== ctx.info.namespace) {
    throw newBadRequest(
      `spec.resourceAttributes.namespace must match namespace: ${ctx.info.namespace}`,
    );
  }
  const answer = await unaryCall<AuthorizeRequest, AuthorizeResponse>(
    authz,
    authz.authorize,
    request,
    { deadline: ctx.deadline, abortable: ctx, auditId: ctx.auditId },
    'authz',
  );
  // allowed is always present; the rest are omitempty, as in kube's v1 JSON.
  const status: Record<string, unknown> = { allowed: answer.decision === Decision.DECISION_ALLOW };
  if (answer.decision === Decision.DECISION_DENY) status.denied = true;
  if (answer.reason) status.reason = answer.reason;
  if (answer.evaluationError) status.evaluationError = answer.evaluationError;
  return {
    kind: def.kind,
    apiVersion: `${def.group}/${def.version}`,
    metadata: { ...metadata, creationTimestamp: metadata.creationTimestamp ?? null },
    spec,
    status,
  };
}
