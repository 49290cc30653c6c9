// jsonWithResourceVersion must equal JSON.stringify(withResourceVersion(JSON.parse(v), rv))
// for every value: canonical ones take the splice, the rest the slow path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeObject } from './codec.js';
import { jsonWithResourceVersion } from './raw-json.js';

const slow = (value: Buffer, rv: string) => JSON.stringify(decodeObject(value, rv));
const check = (text: string | Buffer, rv = '42') => {
  const value = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  assert.equal(jsonWithResourceVersion(value, rv).toString('utf8'), slow(value, rv), String(text));
};

test('canonical values: metadata first, last, empty, absent, nested', () => {
  for (const obj of [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } },
    { metadata: { name: 'first', labels: { a: 'b' } }, kind: 'X' },
    { kind: 'X', metadata: {} },
    { kind: 'NoMeta', spec: { metadata: { name: 'nested, not top-level' } } },
    {},
    {
      kind: 'X',
      metadata: { name: 'q"u\\o\nte', annotations: { '{': '}', é: '☃ 😀', '': '' } },
      spec: { n: [0, -1, 123456789012345, true, false, null, [], {}, [[{}]]], s: '\t' },
    },
  ]) {
    check(JSON.stringify(obj));
    check(JSON.stringify(obj), '123456789012345678901');
  }
});

test('non-canonical or unusual values give the same answer through the slow path', () => {
  for (const text of [
    ' {"kind":"X","metadata":{}}',
    '{"kind": "X","metadata":{}}',
    '{"kind":"X","metadata":{"name":"a"}}\n',
    '{"kind":"\\u0058","metadata":{}}',
    '{"kind":"a\\/b","metadata":{}}',
    '{"n":1.0,"metadata":{}}',
    '{"n":1e3,"metadata":{}}',
    '{"n":-0,"metadata":{}}',
    '{"n":12345678901234567890,"metadata":{}}',
    '{"metadata":{"name":"a"},"metadata":{"name":"b"}}',
    '{"metadata":{"resourceVersion":"9","name":"a"}}',
    '{"metadata":null,"kind":"X"}',
    '{"metadata":"str"}',
    '{"a":{"a":1,"a":2},"metadata":{}}',
    '{"a\\":b":1,"a\\":b":2,"metadata":{}}',
    '{"a\\":b":1,"a":2,"metadata":{"x":[{"y":1,"y":1}]}}',
  ]) {
    check(text);
  }
  check(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])); // invalid UTF-8
});

test('random canonical objects', () => {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const chars = ['a', 'Z', '"', '\\', '\n', 'é', '😀', '{', '}', ',', ':', '[', ' ', '\u0001'];
  const str = () => Array.from({ length: rand(6) }, () => chars[rand(chars.length)]).join('');
  const val = (depth: number): unknown => {
    switch (depth > 3 ? rand(4) : rand(6)) {
      case 0:
        return str();
      case 1:
        return rand(2000) - 1000;
      case 2:
        return [true, false, null][rand(3)];
      case 3:
        return str();
      case 4:
        return Array.from({ length: rand(4) }, () => val(depth + 1));
      default:
        return Object.fromEntries(Array.from({ length: rand(4) }, () => [str(), val(depth + 1)]));
    }
  };
  for (let i = 0; i < 500; i++) {
    const obj: Record<string, unknown> = {};
    const n = rand(5);
    const metaAt = rand(n + 2);
    for (let j = 0; j <= n; j++) {
      if (j === metaAt) obj.metadata = val(0) && Object(val(1));
      obj[`k${str()}`] = val(0);
    }
    check(JSON.stringify(obj), String(rand(1e9)));
  }
});
