// The non-REST routes other parts of the gateway provide: /version (discovery/version.ts).
// Discovery and OpenAPI routers from src/discovery and src/openapi are mounted here as
// they land.
import type { RequestHandler, Router } from 'express';
import type { Scheme } from '@splitplane/scheme';
import { versionHandler } from '../discovery/version.js';

export async function defaultRoutes(_scheme: Scheme): Promise<Array<RequestHandler | Router>> {
  const version = versionHandler();
  const versionRoute: RequestHandler = (req, res, next) => {
    if (req.method === 'GET' && (req.path === '/version' || req.path === '/version/')) return version(req, res);
    next();
  };
  return [versionRoute];
}
