// Deadline for non-long-running requests: min(?timeout, --request-timeout). When it passes,
// the client gets kube's 504 and the request's signal aborts, cancelling the gRPC calls that
// carry the same deadline; whatever the handler writes afterwards is dropped.
import type { RequestHandler } from 'express';
import { newBadRequest, newRequestTimeout } from '@splitplane/apimachinery';
import { contextOf } from '../request-context.js';
import { writeStatus } from '../errors/write-status.js';
import { DurationError, parseGoDuration } from '../duration.js';

export function timeoutFilter(requestTimeoutMs: number): RequestHandler {
  return (req, res, next) => {
    const ctx = contextOf(req);
    if (ctx.longRunning) return next();
    let timeoutMs = requestTimeoutMs;
    // req.query parses the query string on every read; most requests have none.
    const raw =
      req.url.includes('?') && typeof req.query.timeout === 'string'
        ? req.query.timeout
        : undefined;
    if (raw !== undefined && raw !== '') {
      let requested: number;
      try {
        requested = parseGoDuration(raw);
      } catch (err) {
        if (err instanceof DurationError) {
          next(newBadRequest(`invalid timeout specified in the request URL - ${err.message}`));
          return;
        }
        throw err;
      }
      if (requested > 0 && requested < timeoutMs) timeoutMs = requested;
    }
    if (timeoutMs <= 0) return next();
    ctx.deadline = new Date(Date.now() + timeoutMs);
    const timer = setTimeout(() => {
      if (res.writableEnded) return;
      writeStatus(req, res, newRequestTimeout());
      ctx.timedOut = true;
      ctx.abort(newRequestTimeout());
    }, timeoutMs);
    timer.unref();
    ctx.onAbort(() => clearTimeout(timer));
    next();
  };
}
