import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListPiece } from '@splitplane/proto';
import { encodeListPiece, reusingListPieceEncoder, type ListPieceSource } from './list-piece.js';

const later = {
  continues: true,
  resourceVersion: '',
  continue: '',
  warnings: [],
  totalItems: '0',
  totalItemsJsonBytes: '0',
};

const cases: Record<string, ListPieceSource> = {
  'empty list': { ...later, continues: false, items: [], itemCount: 0, resourceVersion: '5' },
  'one item continuing a list': { ...later, items: [Buffer.from('{"a":1}')], itemCount: 1 },
  'one item starting a list': {
    ...later,
    continues: false,
    items: [Buffer.from('{"a":1}')],
    itemCount: 1,
  },
  'varint boundaries in the joined length': {
    ...later,
    items: [Buffer.alloc(63, 0x61), Buffer.alloc(64, 0x62), Buffer.alloc(16_300, 0x63)],
    itemCount: 3,
  },
  'first piece with everything': {
    continues: false,
    items: [Buffer.from('{"é":"ü"}'), Buffer.from('{}'), Buffer.alloc(200_000, 0x20)],
    itemCount: 3,
    resourceVersion: '9007199254740993',
    continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ',
    remainingItemCount: '4997',
    warnings: ['', 'ünï ⚠ 299'],
    totalItems: '5000',
    totalItemsJsonBytes: '15730000',
  },
  'remaining zero and negative-free totals': {
    ...later,
    items: [Buffer.from('1')],
    itemCount: 1,
    remainingItemCount: '0',
  },
};

for (const [name, source] of Object.entries(cases)) {
  test(`encodeListPiece matches ListPiece.encode: ${name}`, () => {
    const { items, continues, ...rest } = source;
    const text = items.map((b) => Buffer.from(b).toString('latin1')).join(',');
    const joined = Buffer.from((continues && items.length > 0 ? ',' : '') + text, 'latin1');
    const theirs = Buffer.from(ListPiece.encode({ ...rest, itemsJson: joined }).finish());
    const ours = encodeListPiece(source);
    assert.deepEqual(ours, theirs);
    const decoded = ListPiece.decode(ours);
    assert.ok(Buffer.from(decoded.itemsJson).equals(joined));
    assert.equal(decoded.itemCount, source.itemCount);
    assert.equal(decoded.remainingItemCount, source.remainingItemCount);
    assert.equal(decoded.totalItemsJsonBytes, source.totalItemsJsonBytes);
  });
}

test('the reusing encoder writes the same bytes, growing its buffer as pieces need', () => {
  const encode = reusingListPieceEncoder();
  for (const source of [...Object.values(cases), ...Object.values(cases).reverse()]) {
    assert.deepEqual(Buffer.from(encode(source)), encodeListPiece(source));
  }
});
