import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abortable } from './abortable.js';

describe('abortable', () => {
  it('settles as the promise does while the signal is quiet', async () => {
    assert.equal(await abortable(Promise.resolve(1), new AbortController().signal), 1);
    await assert.rejects(abortable(Promise.reject(new Error('x')), undefined), /x/);
  });

  it('rejects with the reason once the signal aborts, or at once if it already has', async () => {
    const c = new AbortController();
    const pending = abortable(new Promise(() => undefined), c.signal);
    c.abort(new Error('gone'));
    await assert.rejects(pending, /gone/);
    await assert.rejects(abortable(Promise.resolve(1), c.signal), /gone/);
  });
});
