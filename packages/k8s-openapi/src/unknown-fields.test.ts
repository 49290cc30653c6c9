import assert from 'node:assert/strict';
import { test } from 'node:test';

import { typeErrors, unknownFields } from './builtin.js';
import { SchemaWalker } from './schema-walker.js';
import { findUnknownFields } from './unknown-fields.js';

const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';

function deployment(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'a/b': 'c' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx',
              ports: [{ containerPort: 80 }],
              resources: { limits: { cpu: '1', memory: 512 } },
            },
          ],
        },
      },
    },
  };
}

test('a valid Deployment has no unknown fields', () => {
  assert.deepEqual(unknownFields(DEPLOYMENT, deployment()), []);
});

test('typos are reported with kube strict-decoding paths, in document order', () => {
  const d = deployment();
  const spec = d.spec as Record<string, unknown>;
  spec.replcas = 3;
  const template = spec.template as { spec: { containers: Record<string, unknown>[] } };
  template.spec.containers[0]!.imagee = 'x';
  (d.metadata as Record<string, unknown>).lables = {};
  d.extra = true;
  assert.deepEqual(unknownFields(DEPLOYMENT, d), [
    'metadata.lables',
    'spec.template.spec.containers[0].imagee',
    'spec.replcas', // added after template
    'extra',
  ]);
});

test('maps, RawExtension-like and preserve-unknown-fields schemas are open', () => {
  const walker = new SchemaWalker({
    Thing: {
      type: 'object',
      properties: {
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        raw: { type: 'object' },
        free: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { known: { type: 'object', properties: { a: { type: 'string' } } } },
        },
        byName: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { a: { type: 'string' } } },
        },
      },
    },
  });
  const found = findUnknownFields(walker, 'Thing', {
    labels: { anything: 'goes' },
    raw: { whatever: { deep: 1 } },
    free: { extra: 1, known: { a: 'x', b: 'y' } },
    byName: { k: { a: 'x', zz: 1 } },
  });
  assert.deepEqual(found, ['free.known.b', 'byName.k.zz']);
});

test('typeErrors accepts int-or-string and quantities, rejects wrong types', () => {
  assert.deepEqual(typeErrors(DEPLOYMENT, deployment()), []);
  const d = deployment();
  (d.spec as Record<string, unknown>).replicas = 'two';
  (d.metadata as Record<string, unknown>).labels = ['x'];
  assert.deepEqual(typeErrors(DEPLOYMENT, d), [
    {
      path: 'metadata.labels',
      expected: ['object'],
      actual: 'array',
      goMessage:
        'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string',
    },
    {
      path: 'spec.replicas',
      expected: ['integer'],
      actual: 'string',
      goMessage:
        'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    },
  ]);
});

test("typeErrors words a mismatch as Go's decoder: innermost struct, path without indices", () => {
  const d = deployment();
  const spec = d.spec as { selector: unknown; template: { spec: { containers: unknown[] } } };
  spec.selector = { matchExpressions: 'x' };
  (spec.template.spec.containers[0] as Record<string, unknown>).ports = [{ containerPort: 1.5 }];
  assert.deepEqual(
    typeErrors(DEPLOYMENT, d).map((e) => e.goMessage),
    [
      'json: cannot unmarshal string into Go struct field LabelSelector.spec.selector.matchExpressions of type []v1.LabelSelectorRequirement',
      'json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
    ],
  );
});
