// A handler that throws a plain Error yields a 500 InternalError Status; the process and
// the server keep going.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import { type Harness, startHarness } from '../testing/harness.js';

let h: Harness;
before(async () => {
  const boom: RequestHandler = (req, _res, next) => {
    if (req.path === '/boom') throw new Error('kaboom');
    if (req.path === '/boom-async') return Promise.reject(new TypeError('async kaboom'));
    next();
  };
  h = await startHarness({ routes: [boom] });
});
after(async () => {
  await h.stop();
});

test('thrown errors become 500 InternalError Status responses', async () => {
  for (const [path, msg] of [
    ['/boom', 'kaboom'],
    ['/boom-async', 'async kaboom'],
  ]) {
    const res = await h.call('GET', path!);
    assert.equal(res.status, 500);
    assert.deepEqual(res.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Internal error occurred: ${msg}`,
      reason: 'InternalError',
      details: { causes: [{ message: msg }] },
      code: 500,
    });
  }
  assert.equal((await h.call('GET', '/livez')).status, 200);
});
