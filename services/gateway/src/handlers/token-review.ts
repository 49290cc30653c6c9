// POST /apis/authentication.k8s.io/v1/tokenreviews: authenticates spec.token with the token
// authenticators (as the bearer-token path would), for spec.audiences or, when none are
// given, the API audiences. Never stored. Reaches here after `create tokenreviews` was
// authorized.
import type { RequestHandler } from 'express';
import { newBadRequest, newInternalError } from '@splitplane/apimachinery';
import {
  type Authentication,
  AuthenticationError,
  intersectAudiences,
  userInfoJson,
} from '../authn/index.js';
import { ephemeralDefinition, methodNotAllowed, readObject, sendCreated } from './ephemeral.js';

export const TOKEN_REVIEW_DEFINITION = ephemeralDefinition(
  'authentication.k8s.io',
  'v1',
  'TokenReview',
  'tokenreviews',
);
const DEF = TOKEN_REVIEW_DEFINITION;
const PATH = '/apis/authentication.k8s.io/v1/tokenreviews';

export function tokenReviewHandler(authn: Authentication, maxBodyBytes: number): RequestHandler {
  return async (req, res, next) => {
    if (req.path !== PATH) return next();
    if (req.method !== 'POST')
      throw methodNotAllowed(req, DEF, 'tokenreviews.authentication.k8s.io');
    const review = await readObject(req, DEF, maxBodyBytes);
    const spec = (review.spec ?? {}) as { token?: unknown; audiences?: unknown };
    const token = typeof spec.token === 'string' ? spec.token : '';
    if (!token) throw newBadRequest('token is required for TokenReview in authentication');
    const requested = Array.isArray(spec.audiences)
      ? spec.audiences.filter((a): a is string => typeof a === 'string')
      : [];
    const audiences = requested.length ? requested : authn.apiAudiences;

    const status: Record<string, unknown> = { user: {} };
    try {
      const result = await authn.reviewToken(token, audiences);
      if (
        audiences.length > 0 &&
        intersectAudiences(audiences, result.audiences ?? []).length === 0 &&
        result.audiences !== undefined
      ) {
        throw newInternalError(new Error('error validating audiences'));
      }
      status.authenticated = true;
      status.user = userInfoJson(result.user);
      if (result.audiences?.length) status.audiences = result.audiences;
    } catch (err) {
      if (!(err instanceof AuthenticationError)) throw err;
      status.error = err.message;
    }
    sendCreated(req, res, DEF, {
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { ...(review.metadata ?? {}), creationTimestamp: null },
      spec: { token, ...(requested.length ? { audiences: requested } : {}) },
      status,
    });
  };
}
