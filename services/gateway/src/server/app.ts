// The express application: kube-apiserver's filter chain in its order, then the routes.
// (Panic recovery is kube's outermost filter; express runs error middleware last, which is
// where it sits here, catching whatever any filter or handler throws.)
import express, { type Express, type RequestHandler, Router } from 'express';
import type { AuthorizerClient } from '@splitplane/proto';
import { requestInfoFilter } from '../filters/request-info.js';
import { maxInFlightFilter } from '../filters/max-in-flight.js';
import { timeoutFilter } from '../filters/timeout.js';
import { corsFilter } from '../filters/cors.js';
import { goawayFilter } from '../filters/goaway.js';
import { type Authentication, authenticationFilter } from '../authn/index.js';
import { authorizationFilter } from '../filters/authorization.js';
import { impersonationFilter } from '../filters/impersonation.js';
import type { AuthorizationCache } from '../filters/authorization-cache.js';
import { panicRecovery } from '../filters/panic-recovery.js';
import { filterChain } from '../filters/chain.js';
import { resourceRouter } from '../handlers/resource-router.js';
import { accessReviewHandler } from '../handlers/access-review.js';
import { tokenReviewHandler } from '../handlers/token-review.js';
import { selfSubjectReviewHandler } from '../handlers/self-subject-review.js';
import { tokenRequestHandler } from '../handlers/token-request.js';
import type { HandlerDeps } from '../handlers/resource-request.js';
import { newPathNotFound } from '@splitplane/apimachinery';
import { contextOf } from '../request-context.js';
import { healthRouter, type HealthEndpoints } from '../health/health-routes.js';

export interface AppOptions {
  handlers: HandlerDeps;
  authz: AuthorizerClient;
  /** The authenticator union (authn/) and what the token APIs need. */
  authentication: Authentication;
  /** Reuses authz decisions for a short TTL; absent means ask authz every time. */
  authorizationCache?: AuthorizationCache;
  health: HealthEndpoints;
  maxReadonlyInFlight: number;
  maxMutatingInFlight: number;
  requestTimeoutMs: number;
  corsAllowedOrigins: string[];
  goawayChance: number;
  /** Routes served before the REST handlers: /version, discovery, OpenAPI. */
  routes?: Array<RequestHandler | Router>;
}

export function createApp(opts: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // kube's filters, in kube's order, as one middleware (filters/chain.ts): one router layer
  // instead of seven on every request.
  app.use(
    filterChain([
      requestInfoFilter(),
      maxInFlightFilter({
        maxReadonly: opts.maxReadonlyInFlight,
        maxMutating: opts.maxMutatingInFlight,
      }),
      timeoutFilter(opts.requestTimeoutMs),
      corsFilter(opts.corsAllowedOrigins),
      goawayFilter(opts.goawayChance),
      authenticationFilter(opts.authentication.request),
      impersonationFilter(opts.authz, opts.authorizationCache),
      authorizationFilter(opts.authz, opts.authorizationCache),
    ]),
  );
  // Health, /version, discovery and OpenAPI serve only paths that name no resource; a
  // request for a resource skips their route tables instead of being matched against each.
  // With the REST handlers after them they form one more layer, as the filters do.
  const nonResource = Router();
  nonResource.use(healthRouter(opts.health));
  for (const route of opts.routes ?? []) nonResource.use(route);
  app.use(
    filterChain([
      unlessResource(nonResource),
      tokenReviewHandler(opts.authentication, opts.handlers.maxRequestBodyBytes),
      selfSubjectReviewHandler(opts.handlers.maxRequestBodyBytes),
      tokenRequestHandler(opts.authentication, opts.handlers.maxRequestBodyBytes),
      accessReviewHandler(opts.authz, opts.handlers.maxRequestBodyBytes),
      resourceRouter(opts.handlers),
    ]),
  );
  app.use(() => {
    throw newPathNotFound();
  });
  app.use(panicRecovery());
  return app;
}

function unlessResource(handler: RequestHandler | Router): RequestHandler {
  return (req, res, next) => {
    const { info } = contextOf(req);
    if (info.isResourceRequest && info.resource !== '') return next();
    return handler(req, res, next);
  };
}
