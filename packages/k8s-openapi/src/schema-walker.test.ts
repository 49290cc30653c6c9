import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mergeKeyAt, patchMetaFor, resolve, schemaWalker } from './builtin.js';
import { parseFieldPath, SchemaWalker } from './schema-walker.js';

test('PodSpec.containers merges on name', () => {
  const meta = patchMetaFor('io.k8s.api.core.v1.PodSpec', 'containers');
  assert.equal(meta?.patchStrategy, 'merge');
  assert.equal(meta?.patchMergeKey, 'name');
  assert.equal(meta?.listType, 'map');
  assert.deepEqual(meta?.listMapKeys, ['name']);
});

test('mergeKeyAt walks through refs and list elements', () => {
  const containers = mergeKeyAt('io.k8s.api.apps.v1.Deployment', 'spec.template.spec.containers');
  assert.equal(containers?.patchMergeKey, 'name');
  const ports = mergeKeyAt(
    'io.k8s.api.apps.v1.Deployment',
    'spec.template.spec.containers[0].ports',
  );
  assert.equal(ports?.patchMergeKey, 'containerPort');
  assert.deepEqual(ports?.listMapKeys, ['containerPort', 'protocol']);
  assert.equal(
    mergeKeyAt('io.k8s.api.apps.v1.Deployment', 'spec.strategy')?.patchStrategy,
    'retainKeys',
  );
  assert.equal(mergeKeyAt('io.k8s.api.apps.v1.Deployment', 'spec.nope'), undefined);
});

test('map-type of atomic structs comes from the referenced type', () => {
  // LabelSelector is declared +structType=atomic.
  assert.equal(mergeKeyAt('io.k8s.api.apps.v1.Deployment', 'spec.selector')?.mapType, 'atomic');
});

test('resolve follows refs and v3 allOf wrappers', () => {
  const meta = resolve('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.ok(meta?.properties?.name);
  assert.equal(
    resolve({
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }],
      description: 'x',
    }),
    schemaWalker().definitions['io.k8s.api.core.v1.PodSpec'],
  );
});

test('a walker over CRD-style inline schemas', () => {
  const walker = new SchemaWalker({
    Widget: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            ports: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['port'],
              items: { type: 'object' },
            },
          },
        },
      },
    },
  });
  assert.deepEqual(walker.patchMetaAt('Widget', 'spec.ports'), {
    listType: 'map',
    listMapKeys: ['port'],
  });
});

test('parseFieldPath', () => {
  assert.deepEqual(parseFieldPath('.spec.containers[0].ports[12].name'), [
    'spec',
    'containers',
    0,
    'ports',
    12,
    'name',
  ]);
  assert.deepEqual(parseFieldPath(['a', 1]), ['a', 1]);
});
