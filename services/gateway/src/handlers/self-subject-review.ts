// POST /apis/authentication.k8s.io/{v1,v1beta1,v1alpha1}/selfsubjectreviews (`kubectl auth
// whoami`): the requester's own user info, as authentication (and impersonation) left it.
import type { RequestHandler } from 'express';
import { newUnauthorized } from '@splitplane/apimachinery';
import { userInfoJson } from '../authn/index.js';
import { contextOf } from '../request-context.js';
import { ephemeralDefinition, methodNotAllowed, readObject, sendCreated } from './ephemeral.js';

const VERSIONS = ['v1', 'v1beta1', 'v1alpha1'];
const DEFS = new Map(
  VERSIONS.map((v) => [
    `/apis/authentication.k8s.io/${v}/selfsubjectreviews`,
    ephemeralDefinition('authentication.k8s.io', v, 'SelfSubjectReview', 'selfsubjectreviews'),
  ]),
);

/** The version discovery lists (kube 1.32 serves v1 only; the older ones stay for old kubectls). */
export const SELF_SUBJECT_REVIEW_DEFINITION = DEFS.get(
  '/apis/authentication.k8s.io/v1/selfsubjectreviews',
)!;

export function selfSubjectReviewHandler(maxBodyBytes: number): RequestHandler {
  return async (req, res, next) => {
    const def = DEFS.get(req.path);
    if (!def) return next();
    if (req.method !== 'POST') {
      throw methodNotAllowed(req, def, 'selfsubjectreviews.authentication.k8s.io');
    }
    const review = await readObject(req, def, maxBodyBytes);
    const user = contextOf(req).user;
    if (!user) throw newUnauthorized();
    sendCreated(req, res, def, {
      kind: 'SelfSubjectReview',
      apiVersion: `authentication.k8s.io/${def.version}`,
      metadata: { ...(review.metadata ?? {}), creationTimestamp: null },
      status: { userInfo: userInfoJson(user) },
    });
  };
}
