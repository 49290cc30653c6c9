import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ListResponse } from '@splitplane/proto';
import { listPieces } from './list-pieces.js';

function list(sizes: number[]): ListResponse {
  return {
    items: sizes.map((n, i) => Buffer.alloc(n, 0x61 + (i % 26))),
    resourceVersion: '77',
    continue: 'tok',
    remainingItemCount: '3',
    warnings: ['careful'],
  };
}

test('an empty list is one piece with the metadata and zero totals', () => {
  const pieces = [...listPieces(list([]), 10)];
  assert.equal(pieces.length, 1);
  assert.deepEqual(pieces[0], {
    items: [],
    continues: false,
    itemCount: 0,
    resourceVersion: '77',
    continue: 'tok',
    remainingItemCount: '3',
    warnings: ['careful'],
    totalItems: '0',
    totalItemsJsonBytes: '0',
  });
});

test('pieces hold whole items up to the byte budget; metadata and totals only on the first', () => {
  const source = list([4, 4, 4, 11, 1, 1]);
  const pieces = [...listPieces(source, 8)];
  assert.deepEqual(
    pieces.map((p) => p.items.map((i) => i.length)),
    [[4, 4], [4], [11], [1, 1]],
  );
  assert.deepEqual(
    pieces.map((p) => p.itemCount),
    [2, 1, 1, 2],
  );
  assert.deepEqual(
    pieces.map((p) => p.continues),
    [false, true, true, true],
  );
  const [first, ...rest] = pieces;
  assert.equal(first!.resourceVersion, '77');
  assert.equal(first!.continue, 'tok');
  assert.equal(first!.remainingItemCount, '3');
  assert.deepEqual(first!.warnings, ['careful']);
  assert.equal(first!.totalItems, '6');
  // 25 item bytes and 5 commas: the items array's content, however it is cut.
  assert.equal(first!.totalItemsJsonBytes, '30');
  for (const p of rest) {
    assert.equal(p.resourceVersion, '');
    assert.equal(p.totalItems, '0');
    assert.equal(p.remainingItemCount, undefined);
    assert.deepEqual(p.warnings, []);
  }
  // The same buffers, in order: nothing is copied before the encoder.
  pieces.flatMap((p) => p.items).forEach((b, i) => assert.equal(b, source.items[i]));
});
