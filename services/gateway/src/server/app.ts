// The express application: kube-apiserver's filter chain in its order, then the routes.
// (Panic recovery is kube's outermost filter; express runs error middleware last, which is
// where it sits here, catching whatever any filter or handler throws.)
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { AuthorizerClient } from '@splitplane/proto';
import { requestInfoFilter } from '../filters/request-info.js';
import { maxInFlightFilter } from '../filters/max-in-flight.js';
import { timeoutFilter } from '../filters/timeout.js';
import { corsFilter } from '../filters/cors.js';
import { goawayFilter } from '../filters/goaway.js';
import { authenticationFilter } from '../filters/authentication.js';
import { authorizationFilter } from '../filters/authorization.js';
import type { AuthorizationCache } from '../filters/authorization-cache.js';
import { panicRecovery } from '../filters/panic-recovery.js';
import { resourceRouter } from '../handlers/resource-router.js';
import { selfSubjectAccessReviewHandler } from '../handlers/access-review.js';
import type { HandlerDeps } from '../handlers/resource-request.js';
import { notFound } from '../handlers/resolve.js';
import { contextOf } from '../request-context.js';
import { healthRouter, type HealthEndpoints } from '../health/health-routes.js';

export interface AppOptions {
  handlers: HandlerDeps;
  authz: AuthorizerClient;
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

  app.use(requestInfoFilter());
  app.use(
    maxInFlightFilter({
      maxReadonly: opts.maxReadonlyInFlight,
      maxMutating: opts.maxMutatingInFlight,
    }),
  );
  app.use(timeoutFilter(opts.requestTimeoutMs));
  app.use(corsFilter(opts.corsAllowedOrigins));
  app.use(goawayFilter(opts.goawayChance));
  app.use(authenticationFilter());
  app.use(authorizationFilter(opts.authz, opts.authorizationCache));

  // Health, /version, discovery and OpenAPI serve only paths that name no resource; a
  // request for a resource skips their route tables instead of being matched against each.
  app.use(unlessResource(healthRouter(opts.health)));
  for (const route of opts.routes ?? []) app.use(unlessResource(route));
  app.use(selfSubjectAccessReviewHandler(opts.authz, opts.handlers.maxRequestBodyBytes));
  app.use(resourceRouter(opts.handlers));
  app.use(() => {
    throw notFound();
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
