// Outermost filter (mounted last, as express error middleware): anything a handler throws
// becomes a Status response (500 InternalError unless it is a StatusError) instead of a
// dropped connection or a crashed process, as kube's WithPanicRecovery does.
import type { ErrorRequestHandler } from 'express';
import { writeStatus } from '../errors/write-status.js';

export function panicRecovery(): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    writeStatus(req, res, err);
  };
}

/** Wraps an async handler so a rejection reaches panicRecovery (express 5 does this too; explicit for non-express callers). */
export function guard<A extends unknown[]>(
  fn: (...args: A) => Promise<void>,
  onError: (err: unknown) => void,
) {
  return (...args: A): void => {
    fn(...args).catch(onError);
  };
}
