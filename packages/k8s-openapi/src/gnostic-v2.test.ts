// Structural checks of the gnostic protobuf form. The byte-for-byte semantic comparison
// with gnostic itself is a Go program (tools/gnostic-gen/check.sh), run by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { encodeOpenApiV2Protobuf, gnosticV2Root } from './gnostic-v2.js';
import { gnosticYaml } from './gnostic-yaml.js';
import { openApiV2 } from './openapi-v2.js';
import { pathsForResource } from './paths.js';

type Named<T> = { name: string; value: T };
interface AnyMsg {
  yaml: string;
}
interface SchemaMsg {
  _ref?: string;
  type?: { value: string[] };
  description?: string;
  items?: { schema: SchemaMsg[] };
  properties?: { additional_properties: Named<SchemaMsg>[] };
  vendor_extension?: Named<AnyMsg>[];
  required?: string[];
}

const doc = openApiV2(
  pathsForResource({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    verbs: ['create', 'get', 'list', 'patch'],
    subresources: [{ name: 'status' }],
  }),
  { title: 'Kubernetes', version: 'v1.32.4' },
);

function decode(): Record<string, any> {
  const type = gnosticV2Root().lookupType('openapi.v2.Document');
  return type.toObject(type.decode(encodeOpenApiV2Protobuf(doc)), {
    arrays: true,
    longs: Number,
  });
}

const definition = (d: Record<string, any>, name: string): SchemaMsg =>
  (d.definitions.additional_properties as Named<SchemaMsg>[]).find((n) => n.name === name)!.value;
const property = (s: SchemaMsg, name: string): SchemaMsg =>
  s.properties!.additional_properties.find((n) => n.name === name)!.value;
const extension = (s: { vendor_extension?: Named<AnyMsg>[] }, name: string): string | undefined =>
  s.vendor_extension?.find((n) => n.name === name)?.value.yaml;

test('every definition is carried over, in document order', () => {
  const d = decode();
  assert.equal(d.swagger, '2.0');
  assert.deepEqual(d.info, { title: 'Kubernetes', version: 'v1.32.4', vendor_extension: [] });
  const names = (d.definitions.additional_properties as Named<unknown>[]).map((n) => n.name);
  assert.deepEqual(names, Object.keys(doc.definitions));
  assert.ok(names.length > 500);
});

test('schemas keep refs, types, items and x-kubernetes extensions', () => {
  const d = decode();
  const deployment = definition(d, 'io.k8s.api.apps.v1.Deployment');
  assert.equal(
    extension(deployment, 'x-kubernetes-group-version-kind'),
    '- group: apps\n  kind: Deployment\n  version: v1\n',
  );
  assert.equal(
    property(deployment, 'spec')._ref,
    '#/definitions/io.k8s.api.apps.v1.DeploymentSpec',
  );
  assert.deepEqual(property(deployment, 'kind').type, { value: ['string'] });

  const podSpec = definition(d, 'io.k8s.api.core.v1.PodSpec');
  const containers = property(podSpec, 'containers');
  assert.equal(extension(containers, 'x-kubernetes-patch-merge-key'), 'name\n');
  assert.equal(extension(containers, 'x-kubernetes-patch-strategy'), 'merge\n');
  assert.deepEqual(containers.type, { value: ['array'] });
  assert.equal(containers.items!.schema[0]!._ref, '#/definitions/io.k8s.api.core.v1.Container');
  assert.ok(podSpec.required!.includes('containers'));
});

test('paths carry operations with body and non-body parameters', () => {
  const d = decode();
  const paths = d.paths.path as Named<Record<string, any>>[];
  assert.deepEqual(
    paths.map((p) => p.name),
    Object.keys(doc.paths),
  );
  const collection = paths.find(
    (p) => p.name === '/apis/apps/v1/namespaces/{namespace}/deployments',
  )!.value;
  const post = collection.post;
  assert.equal(post.operation_id, 'createAppsV1NamespacedDeployment');
  assert.deepEqual(post.tags, ['apps_v1']);
  assert.ok(post.consumes.length > 0 && post.produces.length > 0);
  assert.equal(extension(post, 'x-kubernetes-action'), 'post\n');
  const params = post.parameters.map((p: any) => p.parameter);
  const body = params.find((p: any) => p.body_parameter)?.body_parameter;
  assert.equal(body.name, 'body');
  assert.equal(body.schema._ref, '#/definitions/io.k8s.api.apps.v1.Deployment');
  const query = params.find((p: any) => p.non_body_parameter?.query_parameter_sub_schema);
  assert.ok(query, 'a query parameter');
  const ok = post.responses.response_code.find((r: Named<any>) => r.name === '200').value;
  assert.equal(ok.response.schema.schema._ref, '#/definitions/io.k8s.api.apps.v1.Deployment');
  const shared = collection.parameters.map((p: any) => p.parameter.non_body_parameter);
  assert.ok(shared.some((p: any) => p.path_parameter_sub_schema?.name === 'namespace'));
});

test('security definitions and requirements', () => {
  const d = decode();
  const bearer = d.security_definitions.additional_properties[0];
  assert.equal(bearer.name, 'BearerToken');
  assert.deepEqual(bearer.value.api_key_security, {
    type: 'apiKey',
    name: 'authorization',
    in: 'header',
    description: 'Bearer Token authentication',
    vendor_extension: [],
  });
  assert.deepEqual(d.security, [
    { additional_properties: [{ name: 'BearerToken', value: { value: [] } }] },
  ]);
});

test('encoding is deterministic', () => {
  assert.deepEqual(encodeOpenApiV2Protobuf(doc), encodeOpenApiV2Protobuf(doc));
});

// Expected strings are what gnostic (yaml.v3) produced for the same JSON values.
test('gnosticYaml lays values out as yaml.v3 does', () => {
  const cases: [unknown, string][] = [
    [
      [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
      '- group: apps\n  kind: Deployment\n  version: v1\n',
    ],
    [
      { a: { b: [1, 2, { c: true }] }, d: [] },
      'a:\n    b:\n        - 1\n        - 2\n        - c: true\nd: []\n',
    ],
    [[[1, 2], [3]], '- - 1\n  - 2\n- - 3\n'],
    ['', '""\n'],
    ['true', '"true"\n'],
    ['123', '"123"\n'],
    ['2006-01-02', '"2006-01-02"\n'],
    ['yes', 'yes\n'],
    ['a: b', "'a: b'\n"],
    ['* foo', "'* foo'\n"],
    ['-x', '-x\n'],
    ['-', "'-'\n"],
    ['x #y', "'x #y'\n"],
    ['tab\there', '"tab\\there"\n'],
    ['x\ny', '|-\n    x\n    y\n'],
    ['x\ny\n', '|\n    x\n    y\n'],
    ['é', 'é\n'],
    ['😀', '"\\U0001F600"\n'],
    [{ '': 1 }, '"": 1\n'],
    [{}, '{}\n'],
    [null, 'null\n'],
    [0, '0\n'],
    [false, 'false\n'],
  ];
  for (const [value, yaml] of cases) assert.equal(gnosticYaml(value), yaml, JSON.stringify(value));
});
