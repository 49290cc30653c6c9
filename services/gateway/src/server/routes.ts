// The non-REST routes served before the REST handlers: /version and discovery
// (src/discovery), OpenAPI (src/openapi).
import type { RequestHandler, Router } from 'express';
import type { Scheme } from '@splitplane/scheme';
import { discoveryRouter } from '../discovery/index.js';
import { openapiRouter } from '../openapi/index.js';

export async function defaultRoutes(scheme: Scheme): Promise<Array<RequestHandler | Router>> {
  return [discoveryRouter(scheme), openapiRouter(scheme)];
}
