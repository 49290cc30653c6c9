import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatGoDuration,
  formatRfc3339,
  formatRfc3339Micro,
  GO_ZERO_TIME_SECONDS,
  parseGoDuration,
  parseRfc3339,
} from './go-time.js';

test('RFC 3339 parse honours offsets and fractions', () => {
  assert.deepStrictEqual(parseRfc3339('2024-01-02T03:04:05Z'), { seconds: 1704164645, nanos: 0 });
  assert.deepStrictEqual(parseRfc3339('2024-01-02T05:04:05.5+02:00'), {
    seconds: 1704164645,
    nanos: 500000000,
  });
  assert.deepStrictEqual(parseRfc3339('0001-01-01T00:00:00Z'), {
    seconds: GO_ZERO_TIME_SECONDS,
    nanos: 0,
  });
  assert.equal(parseRfc3339('yesterday'), undefined);
});

test('RFC 3339 formats match Go', () => {
  assert.equal(formatRfc3339(1704164645), '2024-01-02T03:04:05Z');
  assert.equal(formatRfc3339Micro(1704164645, 123456789), '2024-01-02T03:04:05.123456Z');
  assert.equal(formatRfc3339Micro(1704164645, 0), '2024-01-02T03:04:05.000000Z');
});

test('Go durations', () => {
  assert.equal(formatGoDuration(0), '0s');
  assert.equal(formatGoDuration(1500), '1.5µs');
  assert.equal(formatGoDuration(2_000_000), '2ms');
  assert.equal(formatGoDuration(3_723_500_000_000), '1h2m3.5s');
  assert.equal(formatGoDuration(-60e9), '-1m0s');
  assert.equal(parseGoDuration('1h2m3.5s'), 3_723_500_000_000);
  assert.equal(parseGoDuration('300ms'), 300_000_000);
  assert.equal(parseGoDuration('-1.5h'), -5_400_000_000_000);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('10'), undefined);
});
