// Resolves kube's RequestInfo from the URL and attaches the request context every later
// filter and handler reads. A client disconnect aborts the context's signal so in-flight
// gRPC calls and watch streams are cancelled.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { newInternalError } from '@splitplane/apimachinery';
import { RequestState, setContext } from '../request-context.js';
import { isLongRunning, parseRequestInfo } from './request-info-parser.js';

export function requestInfoFilter(): RequestHandler {
  return (req, res, next) => {
    let info;
    try {
      info = parseRequestInfo(req.method, req.originalUrl);
    } catch (err) {
      next(newInternalError(`failed to create RequestInfo: ${(err as Error).message}`));
      return;
    }
    const auditId = headerValue(req.headers['audit-id']) || randomUUID();
    const ctx = new RequestState(info, auditId, isLongRunning(info));
    setContext(req, ctx);
    res.setHeader('Audit-Id', auditId);
    res.on('close', () => ctx.abort(REQUEST_FINISHED));
    next();
  };
}

/** The abort reason once a response is done; one shared instance, nobody inspects its stack. */
const REQUEST_FINISHED = new Error('request finished');

function headerValue(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}
