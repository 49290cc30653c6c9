import assert from 'node:assert/strict';
import { test } from 'node:test';

import { definitions } from './definitions.js';
import { openApiV2 } from './openapi-v2.js';
import { contentHash, openApiV3ForGroupVersion, openApiV3Index } from './openapi-v3.js';
import { pathsForResource, type ResourceInfo } from './paths.js';
import type { Schema } from './schema.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const DEPLOYMENTS: ResourceInfo = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
  verbs: VERBS,
  subresources: [{ name: 'status' }, { name: 'scale' }],
};
const NAMESPACES: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [{ name: 'status' }, { name: 'finalize' }],
};

test('pathsForResource makes kube-style operations', () => {
  const paths = pathsForResource(DEPLOYMENTS);
  const item = paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  assert.ok(item?.patch);
  assert.equal(item.patch.operationId, 'patchAppsV1NamespacedDeployment');
  assert.equal(item.patch['x-kubernetes-action'], 'patch');
  assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], {
    group: 'apps',
    kind: 'Deployment',
    version: 'v1',
  });
  assert.ok(item.patch.parameters?.some((p) => p.name === 'fieldValidation' && p.in === 'query'));
  assert.equal(
    paths['/apis/apps/v1/deployments']?.get?.operationId,
    'listAppsV1DeploymentForAllNamespaces',
  );
  assert.equal(
    paths['/apis/apps/v1/namespaces/{namespace}/deployments']?.delete?.operationId,
    'deleteAppsV1CollectionNamespacedDeployment',
  );
  assert.equal(
    paths['/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}']?.get?.[
      'x-kubernetes-action'
    ],
    'watch',
  );
  const scale = paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.equal(scale?.put?.operationId, 'replaceAppsV1NamespacedDeploymentScale');
  assert.deepEqual(scale?.get?.['x-kubernetes-group-version-kind'], {
    group: 'autoscaling',
    kind: 'Scale',
    version: 'v1',
  });
  assert.deepEqual(scale?.get?.responses['200']?.schema, {
    $ref: '#/definitions/io.k8s.api.autoscaling.v1.Scale',
  });

  const ns = pathsForResource(NAMESPACES);
  assert.equal(ns['/api/v1/namespaces/{name}']?.get?.operationId, 'readCoreV1Namespace');
  assert.equal(
    ns['/api/v1/namespaces/{name}/finalize']?.put?.operationId,
    'replaceCoreV1NamespaceFinalize',
  );
  assert.equal(ns['/api/v1/namespaces']?.get?.operationId, 'listCoreV1Namespace');
});

test('openApiV2 carries all definitions and the given paths', () => {
  const doc = openApiV2(pathsForResource(DEPLOYMENTS), { title: 'Kubernetes', version: 'v1.32.4' });
  assert.equal(doc.swagger, '2.0');
  assert.equal(Object.keys(doc.definitions).length, Object.keys(definitions()).length);
  assert.ok(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments']);
});

test('v3 apps/v1 document holds every schema it references, in v3 form', () => {
  const { document, json, hash, path } = openApiV3ForGroupVersion(
    { group: 'apps', version: 'v1' },
    [DEPLOYMENTS],
  );
  assert.equal(path, 'apis/apps/v1');
  assert.equal(document.openapi, '3.0.0');
  const schemas = document.components.schemas;
  for (const name of [
    'io.k8s.api.apps.v1.Deployment',
    'io.k8s.api.apps.v1.DeploymentList',
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    'io.k8s.api.core.v1.PodSpec',
    'io.k8s.api.core.v1.Container',
    'io.k8s.api.autoscaling.v1.Scale',
    'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
    'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent',
  ]) {
    assert.ok(schemas[name], name);
  }
  // Every ref resolves inside the document, and none is left in v2 form.
  assert.doesNotMatch(json, /#\/definitions\//);
  for (const match of json.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
    assert.ok(schemas[match[1]!], match[1]);
  // A ref with siblings is wrapped in allOf, as kube serves it.
  assert.deepEqual(schemas['io.k8s.api.apps.v1.Deployment']?.properties?.metadata?.allOf, [
    { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
  ]);
  const patch = document.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.patch;
  assert.ok(patch?.requestBody?.content['application/strategic-merge-patch+json']);
  assert.ok(patch.parameters?.some((p) => p.name === 'fieldValidation'));
  assert.equal(hash, contentHash(json));
  assert.match(hash, /^[0-9A-F]{128}$/);
});

test('v3 Quantity is int-or-string shaped: a string or a number', () => {
  const { document } = openApiV3ForGroupVersion({ group: 'apps', version: 'v1' }, [DEPLOYMENTS]);
  const quantity: Schema | undefined =
    document.components.schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'];
  assert.deepEqual(quantity?.oneOf, [{ type: 'string' }, { type: 'number' }]);
  assert.equal(quantity?.type, undefined);
  const intOrString =
    document.components.schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'];
  assert.deepEqual(intOrString?.oneOf, [{ type: 'integer' }, { type: 'string' }]);
  assert.equal(intOrString?.format, 'int-or-string');
});

test('v3 document hash is stable and the index points at it', () => {
  const a = openApiV3ForGroupVersion({ group: 'apps', version: 'v1' }, [DEPLOYMENTS]);
  const b = openApiV3ForGroupVersion({ group: 'apps', version: 'v1' }, [DEPLOYMENTS]);
  assert.equal(a.hash, b.hash);
  const core = openApiV3ForGroupVersion({ group: '', version: 'v1' }, [NAMESPACES]);
  const index = openApiV3Index([a, core]);
  assert.deepEqual(Object.keys(index.paths), ['api/v1', 'apis/apps/v1']);
  assert.equal(
    index.paths['apis/apps/v1']?.serverRelativeURL,
    `/openapi/v3/apis/apps/v1?hash=${a.hash}`,
  );
});
