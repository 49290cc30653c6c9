// encodeObjectForReply: the stored bytes are encodeObject's and the reply is exactly
// JSON.stringify(withResourceVersion(obj, rv)) for every shape of object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@splitplane/scheme';
import { encodeObject, encodeObjectForReply, withResourceVersion } from './codec.js';

const shapes: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'a', namespace: 'n' },
    data: { k: 'v' },
  },
  { metadata: { name: 'first' }, kind: 'Secret', apiVersion: 'v1' },
  { apiVersion: 'v1', kind: 'Namespace', metadata: {} },
  { apiVersion: 'v1', kind: 'X', metadata: { name: 'u', '1': 'int-key', labels: { é: '☃' } } },
  { apiVersion: 'v1', kind: 'X', metadata: { name: 'q"uote', annotations: { '\\n': '</' } } },
  {
    apiVersion: 'v1',
    kind: 'X',
    skipped: undefined,
    metadata: { name: 'v', uid: undefined, finalizers: ['a', 'b'] },
    spec: { list: [1, null, { deep: true }] },
  } as unknown as KubeObject,
  // Shapes that fall back to plain serialisation.
  { apiVersion: 'v1', kind: 'X', metadata: { name: 'rv', resourceVersion: '7', uid: 'x' } },
  { apiVersion: 'v1', kind: 'NoMeta' },
  { apiVersion: 'v1', kind: 'NullMeta', metadata: null } as unknown as KubeObject,
  {
    apiVersion: 'v1',
    kind: 'X',
    metadata: { name: 'time', creationTimestamp: new Date(0) },
  } as unknown as KubeObject,
];

test('stored bytes and reply JSON match the two-pass serialisation', () => {
  for (const obj of shapes) {
    const encoded = encodeObjectForReply(obj);
    assert.equal(encoded.value.toString(), encodeObject(obj).toString(), JSON.stringify(obj));
    for (const rv of ['1', '123456789012345678901', undefined]) {
      assert.equal(
        encoded.withResourceVersion(rv).toString(),
        JSON.stringify(withResourceVersion(obj, rv)),
        `${JSON.stringify(obj)} @ ${rv}`,
      );
    }
  }
});
