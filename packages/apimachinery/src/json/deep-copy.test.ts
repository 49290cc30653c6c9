import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deepCopyJson } from './deep-copy.js';

test('deepCopyJson copies every level and shares nothing', () => {
  const original = {
    metadata: { name: 'p', labels: { a: 'b' } },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }], replicas: 0 },
    flags: [true, false, null, 1.5, 'x'],
  };
  const copy = deepCopyJson(original);
  assert.deepEqual(copy, original);
  copy.metadata.labels.a = 'changed';
  copy.spec.containers[0]!.ports[0]!.containerPort = 81;
  copy.flags.push('y');
  assert.equal(original.metadata.labels.a, 'b');
  assert.equal(original.spec.containers[0]!.ports[0]!.containerPort, 80);
  assert.equal(original.flags.length, 5);
  assert.equal(deepCopyJson(undefined), undefined);
  assert.equal(deepCopyJson('s'), 's');
});

test('a "__proto__" key from JSON stays a key and never becomes the prototype', () => {
  const parsed = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
  const copy = deepCopyJson(parsed);
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.equal((copy as { polluted?: unknown }).polluted, undefined);
  assert.deepEqual(Object.keys(copy), ['__proto__', 'a']);
  assert.equal(JSON.stringify(copy), JSON.stringify(parsed));
});
