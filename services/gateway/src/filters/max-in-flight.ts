// kube's --max-requests-inflight / --max-mutating-requests-inflight: two budgets, readonly
// and mutating; long-running requests (watch, proxy, exec...) are exempt. Over budget the
// request is rejected at once with 429 and `Retry-After: 1`.
// (kube writes that 429 as plain text; a Status body with the same message is what client-go
// decodes best, so we send one.)
import type { RequestHandler } from 'express';
import { newTooManyRequests } from '@splitplane/apimachinery';
import { contextOf } from '../request-context.js';
import { isReadOnly } from './request-info-parser.js';

export interface MaxInFlightOptions {
  /** 0 means unlimited. */
  maxReadonly: number;
  maxMutating: number;
}

export const TOO_MANY_REQUESTS_MESSAGE = 'Too many requests, please try again later.';

export function maxInFlightFilter(opts: MaxInFlightOptions): RequestHandler {
  let readonly = 0;
  let mutating = 0;
  const releaseReadonly = () => void readonly--;
  const releaseMutating = () => void mutating--;
  return (req, _res, next) => {
    const ctx = contextOf(req);
    if (ctx.longRunning) return next();
    const ro = isReadOnly(ctx.info);
    const limit = ro ? opts.maxReadonly : opts.maxMutating;
    if (limit <= 0) return next();
    if ((ro ? readonly : mutating) >= limit) {
      next(newTooManyRequests(TOO_MANY_REQUESTS_MESSAGE, 1));
      return;
    }
    if (ro) readonly++;
    else mutating++;
    // The context aborts when the response closes (always after it finishes) or times out.
    ctx.onAbort(ro ? releaseReadonly : releaseMutating);
    next();
  };
}
