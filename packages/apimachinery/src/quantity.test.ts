import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  QuantityParseError,
  compareQuantities,
  formatQuantity,
  milliValue,
  parseQuantity,
} from './quantity.js';

test('parses and canonicalises quantities as kube does', () => {
  const table: Array<[string | number, string]> = [
    ['100m', '100m'],
    ['0.5', '500m'],
    ['1', '1'],
    ['1000m', '1'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['512', '512'],
    ['1e3', '1e3'],
    ['1000', '1k'],
    ['1500k', '1500k'],
    ['2M', '2M'],
    ['0.1m', '100u'],
    ['0.1n', '1n'],
    ['0', '0'],
    ['-1', '-1'],
    ['128974848', '128974848'],
    [1, '1'],
    [0.25, '250m'],
    ['12e6', '12e6'],
    ['100Ki', '100Ki'],
    ['0.5Ki', '512'],
  ];
  for (const [input, want] of table)
    assert.equal(formatQuantity(parseQuantity(input)), want, String(input));
});

test('rejects malformed quantities with kube message', () => {
  for (const bad of ['', 'abc', '1.2.3', '1Gb', '--1', ' 1', '1 ', 'm', '1e', '1Kii']) {
    assert.throws(() => parseQuantity(bad), QuantityParseError, bad);
  }
  assert.match(
    new QuantityParseError('x').message,
    /^quantities must match the regular expression/,
  );
});

test('compares across suffixes', () => {
  const cmp = (a: string, b: string) => compareQuantities(parseQuantity(a), parseQuantity(b));
  assert.equal(cmp('500m', '0.5'), 0);
  assert.equal(cmp('1Gi', '1G'), 1);
  assert.equal(cmp('1e3', '1k'), 0);
  assert.equal(cmp('100m', '1'), -1);
  assert.equal(cmp('1Mi', '1048576'), 0);
  assert.equal(milliValue(parseQuantity('1.5')), 1500n);
  assert.equal(milliValue(parseQuantity('1u')), 1n);
});
