// filterChain keeps express's per-layer contract: order, next(err), throws and rejections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { filterChain } from './chain.js';

const req = {} as Request;
const res = {} as Response;

/** Runs the chain and resolves with what it passed to express's next. */
function runChain(filters: RequestHandler[]): Promise<{ err: unknown }> {
  return new Promise((resolve) => {
    const done: NextFunction = (err?: unknown) => resolve({ err });
    filterChain(filters)(req, res, done);
  });
}

test('runs every filter in order, then express next with no error', async () => {
  const seen: number[] = [];
  const f =
    (n: number): RequestHandler =>
    (_q, _s, next) => {
      seen.push(n);
      next();
    };
  assert.deepEqual(await runChain([f(1), f(2), f(3)]), { err: undefined });
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(await runChain([]), { err: undefined });
});

test('next(err), a throw or a rejection skips the rest and reaches express next', async () => {
  const boom = new Error('boom');
  let reached = false;
  const later: RequestHandler = () => {
    reached = true;
  };
  const cases: RequestHandler[] = [
    (_q, _s, next) => next(boom),
    () => {
      throw boom;
    },
    async () => {
      await Promise.resolve();
      throw boom;
    },
  ];
  for (const failing of cases) {
    assert.equal((await runChain([(_q, _s, n) => n(), failing, later])).err, boom);
  }
  assert.equal(reached, false);
  const rejected = await runChain([() => Promise.reject(undefined)]);
  assert.equal((rejected.err as Error).message, 'Rejected promise');
});

test('a later filter’s throw is caught at its own call, not in the filter that called next', async () => {
  const boom = new Error('later');
  let earlierSawThrow = false;
  const earlier: RequestHandler = (_q, _s, next) => {
    try {
      next();
    } catch {
      earlierSawThrow = true;
    }
  };
  const result = await runChain([
    earlier,
    () => {
      throw boom;
    },
  ]);
  assert.equal(result.err, boom);
  assert.equal(earlierSawThrow, false);
});

test("next('route') continues with the next filter, as router does", async () => {
  const seen: string[] = [];
  const result = await runChain([
    (_q, _s, next) => next('route'),
    (_q, _s, next) => {
      seen.push('second');
      next();
    },
  ]);
  assert.deepEqual(result, { err: undefined });
  assert.deepEqual(seen, ['second']);
});
