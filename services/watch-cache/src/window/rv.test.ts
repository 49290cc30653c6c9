import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidResourceVersionError, MAX_RV, assertRv, formatRv, parseRv } from './rv.js';

test('parseRv accepts int64 decimals exactly', () => {
  const cases: [string, bigint][] = [
    ['0', 0n],
    ['1', 1n],
    ['007', 7n],
    ['9007199254740993', 9007199254740993n], // 2^53 + 1: a Number would round it
    ['9223372036854775807', MAX_RV],
  ];
  for (const [text, want] of cases) assert.equal(parseRv(text), want, text);
});

test('parseRv rejects what is not an int64 revision', () => {
  for (const bad of [
    '',
    '-1',
    '1.5',
    ' 1',
    '1e3',
    '0x10',
    'abc',
    '9223372036854775808',
    '99999999999999999999',
  ])
    assert.throws(() => parseRv(bad), InvalidResourceVersionError, JSON.stringify(bad));
});

test('formatRv round-trips past 2^53', () => {
  for (const v of [0n, 2n ** 53n + 1n, MAX_RV]) assert.equal(parseRv(formatRv(v)), v);
});

test('assertRv rejects numbers and out-of-range bigints', () => {
  assert.throws(() => assertRv(5, 'rv'), TypeError);
  assert.throws(() => assertRv('5', 'rv'), TypeError);
  assert.throws(() => assertRv(-1n, 'rv'), RangeError);
  assert.throws(() => assertRv(MAX_RV + 1n, 'rv'), RangeError);
  assert.doesNotThrow(() => assertRv(MAX_RV, 'rv'));
});
