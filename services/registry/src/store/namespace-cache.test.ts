import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActiveNamespaceCache } from './namespace-cache.js';

describe('ActiveNamespaceCache', () => {
  it('trusts an Active namespace for the TTL only', () => {
    let now = 0;
    const cache = new ActiveNamespaceCache(500, () => now);
    assert.equal(cache.isActive('a'), false);
    cache.remember('a', cache.mark());
    now = 499;
    assert.equal(cache.isActive('a'), true);
    now = 500;
    assert.equal(cache.isActive('a'), false);
  });

  it('a write to a namespace during a live read keeps that read from being remembered', () => {
    const cache = new ActiveNamespaceCache(500, () => 0);
    const mark = cache.mark();
    cache.forget('other'); // any namespace write: the epoch moves
    cache.remember('a', mark);
    assert.equal(cache.isActive('a'), false);
    cache.remember('a', cache.mark());
    assert.equal(cache.isActive('a'), true);
    cache.forget('a');
    assert.equal(cache.isActive('a'), false);
  });

  it('a TTL of 0 remembers nothing', () => {
    const cache = new ActiveNamespaceCache(0);
    cache.remember('a', cache.mark());
    assert.equal(cache.isActive('a'), false);
  });
});
