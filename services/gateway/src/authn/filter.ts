// The authentication filter: sets ctx.user, or answers kube's 401 Status.
import type { RequestHandler } from 'express';
import { newUnauthorized } from '@splitplane/apimachinery';
import { contextOf } from '../request-context.js';
import { logger } from '../logger.js';
import type { AuthResult } from './types.js';
import type { RequestAuthentication } from './union.js';

export function authenticationFilter(authn: RequestAuthentication): RequestHandler {
  return (req, _res, next) => {
    let out: AuthResult | Promise<AuthResult>;
    try {
      out = authn.authenticate(req);
    } catch (err) {
      return next(unauthorized(err));
    } finally {
      // The bearer authenticator takes the header; without token authenticators nobody
      // does, and no handler or backend may ever see a credential.
      if (req.headers.authorization !== undefined) delete req.headers.authorization;
    }
    if (out instanceof Promise) {
      return out.then(
        (result) => {
          contextOf(req).user = result.user;
          next();
        },
        (err: unknown) => next(unauthorized(err)),
      );
    }
    contextOf(req).user = out.user;
    next();
  };
}

function unauthorized(err: unknown) {
  logger().debug({ err: (err as Error)?.message }, 'Unable to authenticate the request');
  return newUnauthorized();
}
