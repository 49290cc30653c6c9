import assert from 'node:assert/strict';
import { test } from 'node:test';

import { definitionNameForGVK, definitions, schemaGVKs, v3Definitions } from './definitions.js';

test('Deployment carries its GVK extension and a description', () => {
  const deployment = definitions()['io.k8s.api.apps.v1.Deployment'];
  assert.ok(deployment);
  assert.deepEqual(schemaGVKs(deployment), [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  assert.match(deployment.description ?? '', /declarative updates for Pods/);
  assert.match(deployment.properties?.spec?.description ?? '', /desired behavior/);
});

test('definitionNameForGVK finds kinds of every requested group', () => {
  const cases: [string, string, string, string][] = [
    ['', 'v1', 'Namespace', 'io.k8s.api.core.v1.Namespace'],
    ['', 'v1', 'Binding', 'io.k8s.api.core.v1.Binding'],
    ['apps', 'v1', 'Deployment', 'io.k8s.api.apps.v1.Deployment'],
    ['autoscaling', 'v1', 'Scale', 'io.k8s.api.autoscaling.v1.Scale'],
    [
      'apiextensions.k8s.io',
      'v1',
      'CustomResourceDefinition',
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
    ],
    ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'io.k8s.api.rbac.v1.ClusterRole'],
    ['coordination.k8s.io', 'v1', 'Lease', 'io.k8s.api.coordination.v1.Lease'],
    ['', 'v1', 'Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status'],
    ['apps', 'v1', 'DeleteOptions', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'],
    ['meta.k8s.io', 'v1', 'Table', 'io.k8s.apimachinery.pkg.apis.meta.v1.Table'],
  ];
  for (const [group, version, kind, name] of cases)
    assert.equal(definitionNameForGVK(group, version, kind), name, `${group}/${version} ${kind}`);
  assert.equal(definitionNameForGVK('apps', 'v1', 'NoSuchKind'), undefined);
});

test('special types have kube published type and format', () => {
  const defs = definitions();
  const typeFormat = (name: string): [unknown, unknown] => [defs[name]?.type, defs[name]?.format];
  assert.deepEqual(typeFormat('io.k8s.apimachinery.pkg.apis.meta.v1.Time'), [
    'string',
    'date-time',
  ]);
  assert.deepEqual(typeFormat('io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime'), [
    'string',
    'date-time',
  ]);
  assert.deepEqual(typeFormat('io.k8s.apimachinery.pkg.api.resource.Quantity'), [
    'string',
    undefined,
  ]);
  assert.deepEqual(typeFormat('io.k8s.apimachinery.pkg.util.intstr.IntOrString'), [
    'string',
    'int-or-string',
  ]);
  assert.deepEqual(typeFormat('io.k8s.apimachinery.pkg.runtime.RawExtension'), [
    'object',
    undefined,
  ]);
  assert.deepEqual(typeFormat('io.k8s.apimachinery.pkg.apis.meta.v1.Duration'), [
    'string',
    undefined,
  ]);
  assert.deepEqual(v3Definitions()['io.k8s.apimachinery.pkg.api.resource.Quantity']?.oneOf, [
    { type: 'string' },
    { type: 'number' },
  ]);
});

test('loaded definitions are frozen', () => {
  const meta = definitions()['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'];
  assert.ok(meta && Object.isFrozen(meta) && Object.isFrozen(meta.properties));
});
