import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListResponse } from '@splitplane/proto';
import { decodeListResponseView } from './list-response-view.js';

const cases: ListResponse[] = [
  { items: [], resourceVersion: '', continue: '', warnings: [] },
  {
    items: [Buffer.alloc(0), Buffer.alloc(127, 1), Buffer.alloc(128, 2), Buffer.alloc(70_000, 3)],
    resourceVersion: '9007199254740993',
    continue: 'tok',
    remainingItemCount: '4999',
    warnings: ['w', 'ünï ⚠'],
  },
  {
    items: [Buffer.from('{}')],
    resourceVersion: '1',
    continue: '',
    remainingItemCount: '0',
    warnings: [],
  },
  { items: [], resourceVersion: '1', continue: '', remainingItemCount: '-1', warnings: [] },
  {
    items: [],
    resourceVersion: '1',
    continue: '',
    remainingItemCount: '9223372036854775807',
    warnings: [],
  },
];

test('decodeListResponseView equals ListResponse.decode', () => {
  for (const message of cases) {
    const wire = Buffer.from(ListResponse.encode(message).finish());
    assert.deepEqual(decodeListResponseView(wire), ListResponse.decode(wire));
  }
});

test('decodeListResponseView items share the message memory', () => {
  const wire = Buffer.from(
    ListResponse.encode({
      items: [Buffer.from('abc')],
      resourceVersion: '2',
      continue: '',
      warnings: [],
    }).finish(),
  );
  const item = decodeListResponseView(wire).items[0]!;
  assert.equal(item.buffer, wire.buffer);
  assert.equal(item.toString(), 'abc');
});

test('decodeListResponseView hands unknown fields to the generic decoder', () => {
  const known = Buffer.from(
    ListResponse.encode({
      items: [Buffer.from('x')],
      resourceVersion: '3',
      continue: '',
      warnings: [],
    }).finish(),
  );
  // Field 9, varint 5: unknown, skipped.
  const wire = Buffer.concat([known, Buffer.from([0x48, 0x05])]);
  assert.deepEqual(decodeListResponseView(wire), ListResponse.decode(wire));
});

test('decodeListResponseView rejects a truncated message', () => {
  const wire = Buffer.from(
    ListResponse.encode({
      items: [Buffer.alloc(300)],
      resourceVersion: '',
      continue: '',
      warnings: [],
    }).finish(),
  );
  assert.throws(() => decodeListResponseView(wire.subarray(0, 100)), RangeError);
});
