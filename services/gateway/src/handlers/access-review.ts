// POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews (`kubectl auth can-i`): a
// create-only, never-stored resource answered by asking the authz service about the
// requester's own attributes. Requests reach here after the authorization filter has
// allowed `create selfsubjectaccessreviews`.
import type { RequestHandler } from 'express';
import { StatusError, invalid, newInvalid } from '@splitplane/apimachinery';
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type AuthorizeRequest,
  type AuthorizeResponse,
  type AuthorizerClient,
  Decision,
} from '@splitplane/proto';
import { contextOf } from '../request-context.js';
import { unaryCall } from '../backends/unary.js';
import { decodeObjectBody } from '../negotiation/decode-body.js';
import { encodeObject, negotiateFor } from '../negotiation/encode.js';
import { readBody } from '../negotiation/read-body.js';

/** Enough of a definition to negotiate and encode the response (protobuf included). */
const SSAR: ResourceDefinition = {
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  listKind: 'SelfSubjectAccessReviewList',
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: ['create'],
  subresources: {},
  storageVersion: 'v1',
  etcdResource: '',
  openapiName: 'io.k8s.api.authorization.v1.SelfSubjectAccessReview',
  selectableFields: [],
};

const PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

interface ReviewSpec {
  resourceAttributes?: Record<string, string | undefined>;
  nonResourceAttributes?: { path?: string; verb?: string };
}

export function selfSubjectAccessReviewHandler(
  authz: AuthorizerClient,
  maxBodyBytes: number,
): RequestHandler {
  return async (req, res, next) => {
    if (req.path !== PATH) return next();
    if (req.method !== 'POST') {
      throw new StatusError({
        code: 405,
        reason: 'MethodNotAllowed',
        message: `${req.method} is not supported on selfsubjectaccessreviews.authorization.k8s.io`,
        details: { group: SSAR.group, kind: SSAR.plural },
      });
    }
    const ctx = contextOf(req);
    const format = negotiateFor(req, SSAR);
    const body = decodeObjectBody(
      await readBody(req, maxBodyBytes),
      req.headers['content-type'],
      SSAR.kind,
    );
    const review = JSON.parse(body.toString('utf8')) as { spec?: ReviewSpec; metadata?: unknown };
    const spec = review.spec ?? {};
    const ra = spec.resourceAttributes;
    const nra = spec.nonResourceAttributes;
    if ((ra === undefined) === (nra === undefined)) {
      throw newInvalid({ group: SSAR.group, kind: SSAR.kind }, '', [
        invalid(
          'spec.resourceAttributes',
          ra ?? null,
          'exactly one of nonResourceAttributes or resourceAttributes must be specified',
        ),
      ]);
    }
    const request: AuthorizeRequest = ra
      ? {
          user: ctx.user,
          verb: ra.verb ?? '',
          resourceRequest: true,
          path: '',
          apiGroup: ra.group ?? '',
          apiVersion: ra.version ?? '',
          resource: ra.resource ?? '',
          subresource: ra.subresource ?? '',
          namespace: ra.namespace ?? '',
          name: ra.name ?? '',
        }
      : {
          user: ctx.user,
          verb: nra!.verb ?? '',
          resourceRequest: false,
          path: nra!.path ?? '',
          apiGroup: '',
          apiVersion: '',
          resource: '',
          subresource: '',
          namespace: '',
          name: '',
        };
    const answer = await unaryCall<AuthorizeRequest, AuthorizeResponse>(
      authz,
      authz.authorize,
      request,
      { deadline: ctx.deadline, abortable: ctx, auditId: ctx.auditId },
      'authz',
    );
    const status: Record<string, unknown> = {
      allowed: answer.decision === Decision.DECISION_ALLOW,
    };
    if (answer.decision === Decision.DECISION_DENY) status.denied = true;
    if (answer.reason) status.reason = answer.reason;
    if (answer.evaluationError) status.evaluationError = answer.evaluationError;
    const out = {
      kind: SSAR.kind,
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec,
      status,
    };
    if (ctx.timedOut || res.headersSent) return;
    const encoded = encodeObject(req, SSAR, format, Buffer.from(JSON.stringify(out)));
    res.status(201).setHeader('Content-Type', encoded.contentType);
    res.end(encoded.body);
  };
}
