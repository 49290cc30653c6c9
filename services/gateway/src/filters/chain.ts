// Runs the front filters (and, after them, the route handlers) as one express middleware
// instead of one router layer each. Every router layer costs a path lookup, a match object,
// param processing and a tracing check per request; these handlers need none of that (they
// serve every path), so the chain calls them directly, in order, with express's own
// contract for each one:
// - `next()` runs the next filter (after the last one, express's next layer);
// - `next(err)` and a synchronous throw or a rejected promise from a filter skip the
//   remaining ones and hand the error to express (panic recovery answers it), exactly
//   as router does for each layer — a later filter's throw is caught at its own call, never
//   seen by the filter that called next().
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export function filterChain(filters: readonly RequestHandler[]): RequestHandler {
  const chain = [...filters];
  if (chain.length === 0) return (_req, _res, next) => next();
  return (req, res, done) => run(chain, 0, req, res, done);
}

function run(
  chain: readonly RequestHandler[],
  i: number,
  req: Request,
  res: Response,
  done: NextFunction,
): void {
  const filter = chain[i]!;
  const last = i + 1 === chain.length;
  const next = (err?: unknown): void => {
    // As in router: 'route' (and no error) moves on; any other value is an error.
    if (err && err !== 'route') return done(err);
    if (last) return done();
    run(chain, i + 1, req, res, done);
  };
  try {
    const ret = filter(req, res, next) as unknown;
    if (isThenable(ret)) {
      ret.then(undefined, (error: unknown) => next(error || new Error('Rejected promise')));
    }
  } catch (err) {
    next(err);
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function'
  );
}
