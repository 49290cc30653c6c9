import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SortedObjects } from './sorted-objects.js';
import type { CachedObject } from './types.js';

const obj = (key: string, rv: bigint): CachedObject => ({
  key,
  namespace: '',
  name: key,
  rv,
  json: Buffer.from('{}'),
  labels: {},
  fields: {},
});

describe('SortedObjects', () => {
  it('lists in key order and never changes an array it handed out', () => {
    const s = new SortedObjects();
    for (const k of ['c', 'a', 'b']) s.set(obj(k, 1n));
    const first = s.list();
    assert.deepEqual(
      first.map((o) => o.key),
      ['a', 'b', 'c'],
    );
    s.set(obj('b', 2n)); // update in place of a copy
    const second = s.list();
    assert.equal(first[1]!.rv, 1n, 'the first snapshot is untouched');
    assert.equal(second[1]!.rv, 2n);
    s.delete('a');
    s.set(obj('d', 3n));
    assert.deepEqual(
      s.list().map((o) => o.key),
      ['b', 'c', 'd'],
    );
    assert.deepEqual(
      second.map((o) => o.key),
      ['a', 'b', 'c'],
    );
    assert.equal(s.size, 3);
  });

  it('reuses the sorted array while nothing changes', () => {
    const s = new SortedObjects();
    s.set(obj('x', 1n));
    assert.equal(s.list(), s.list());
  });
});
