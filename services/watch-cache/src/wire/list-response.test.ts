import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListResponse } from '@splitplane/proto';
import { encodeListResponse } from './list-response.js';

function item(len: number, fill = 0x61): Buffer {
  return Buffer.alloc(len, fill);
}

const cases: Record<string, ListResponse> = {
  'empty list': { items: [], resourceVersion: '', continue: '', warnings: [] },
  'empty list with rv': { items: [], resourceVersion: '42', continue: '', warnings: [] },
  'varint boundaries': {
    items: [item(0), item(1), item(127), item(128), item(16383), item(16384), item(2_100_000)],
    resourceVersion: '9007199254740993',
    continue: '',
    warnings: [],
  },
  'page with continue and remaining': {
    items: [Buffer.from('{"kind":"Pod","metadata":{"name":"é"}}')],
    resourceVersion: '100',
    continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTAwLCJzdGFydCI6ImEvYlx1MDAwMCJ9',
    remainingItemCount: '4999',
    warnings: [],
  },
  'remaining zero': {
    items: [item(3)],
    resourceVersion: '7',
    continue: 'x',
    remainingItemCount: '0',
    warnings: [],
  },
  'remaining beyond 2^53 and negative': {
    items: [],
    resourceVersion: '1',
    continue: '',
    remainingItemCount: '-1',
    warnings: [],
  },
  'large remaining': {
    items: [],
    resourceVersion: '1',
    continue: '',
    remainingItemCount: '9223372036854775807',
    warnings: [],
  },
  warnings: {
    items: [item(10)],
    resourceVersion: '5',
    continue: '',
    warnings: ['', 'a warning', 'ünïcödé ⚠ 299', 'x'.repeat(300)],
  },
};

for (const [name, message] of Object.entries(cases)) {
  test(`encodeListResponse matches ListResponse.encode: ${name}`, () => {
    const ours = encodeListResponse(message);
    const theirs = Buffer.from(ListResponse.encode(message).finish());
    assert.deepEqual(ours, theirs);
    const decoded = ListResponse.decode(ours);
    assert.equal(decoded.items.length, message.items.length);
    decoded.items.forEach((b, i) => assert.ok(Buffer.from(b).equals(message.items[i]!)));
    assert.equal(decoded.resourceVersion, message.resourceVersion);
    assert.equal(decoded.continue, message.continue);
    assert.equal(decoded.remainingItemCount, message.remainingItemCount);
    assert.deepEqual(decoded.warnings, message.warnings);
  });
}

test('encodeListResponse accepts plain Uint8Array items', () => {
  const u8 = new Uint8Array([1, 2, 3]);
  const message = { items: [u8 as Buffer], resourceVersion: '3', continue: '', warnings: [] };
  assert.deepEqual(encodeListResponse(message), Buffer.from(ListResponse.encode(message).finish()));
});
