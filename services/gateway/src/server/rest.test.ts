// The REST surface over real gRPC peers: verbs, lists from item bytes, content negotiation
// (YAML, protobuf, Table, PartialObjectMetadata), Warning headers (watch streams: watch/watch-http.test.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeObject, encodeObject } from '@splitplane/k8s-protobuf';
import { type Harness, startHarness } from '../testing/harness.js';
import { warningHeaderValue } from '../negotiation/warnings.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.stop();
});

const CM = '/api/v1/namespaces/default/configmaps';
const json = { 'content-type': 'application/json' };
const cm = (name: string, data: Record<string, string> = { a: '1' }) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

test('create, get and list round-trip through registry and watch-cache', async () => {
  const created = await h.call('POST', `${CM}?fieldManager=kubectl&fieldValidation=Strict`, {
    body: cm('one'),
    headers: json,
  });
  assert.equal(created.status, 201);
  assert.equal(created.json<{ metadata: { name: string } }>().metadata.name, 'one');
  const createCall = h.backends.calls.findLast((c) => c.method === 'Registry.Create')!.request as {
    attributes: Record<string, unknown>;
  };
  assert.equal(createCall.attributes.fieldManager, 'kubectl');
  assert.equal(createCall.attributes.fieldValidation, 'Strict');
  assert.equal(createCall.attributes.namespace, 'default');
  assert.deepEqual(createCall.attributes.resource, {
    group: '',
    version: 'v1',
    resource: 'configmaps',
  });
  assert.equal((createCall.attributes.user as { username: string }).username, 'kubernetes-admin');

  const got = await h.call('GET', `${CM}/one`);
  assert.equal(got.status, 200);
  assert.equal(got.headers['content-type'], 'application/json');
  assert.deepEqual(got.json<{ data: unknown }>().data, { a: '1' });

  const list = await h.call('GET', `${CM}?limit=10`);
  assert.equal(list.status, 200);
  const body = list.json<{
    kind: string;
    apiVersion: string;
    metadata: { resourceVersion: string };
    items: unknown[];
  }>();
  assert.equal(body.kind, 'ConfigMapList');
  assert.equal(body.apiVersion, 'v1');
  assert.match(body.metadata.resourceVersion, /^\d+$/);
  assert.equal(body.items.length, 1);
  const listCall = h.backends.calls.findLast((c) => c.method === 'WatchCache.List')!.request as {
    options: { limit: string };
  };
  assert.equal(listCall.options.limit, '10');
});

test('a LIST streamed in pieces is one JSON body with its Content-Length, in every form', async () => {
  const ns = '/api/v1/namespaces/pieces/configmaps';
  for (const name of ['a', 'b', 'c']) {
    const created = await h.call('POST', ns, { body: cm(name), headers: json });
    assert.equal(created.status, 201);
  }
  // The fake watch-cache sends one item a piece, each after the first led by its comma.
  const list = await h.call('GET', ns);
  assert.equal(list.status, 200);
  assert.equal(list.headers['content-length'], String(list.body.length));
  const names = (text: string) =>
    (JSON.parse(text) as { items: Array<{ metadata: { name: string } }> }).items.map(
      (i) => i.metadata.name,
    );
  assert.deepEqual(names(list.text), ['a', 'b', 'c']);
  // Forms that need decoded items collect the pieces first.
  const pretty = await h.call('GET', `${ns}?pretty=true`);
  assert.deepEqual(names(pretty.text), ['a', 'b', 'c']);
  const yaml = await h.call('GET', ns, { headers: { accept: 'application/yaml' } });
  assert.match(yaml.text, /name: c/);
  // An empty list is a single piece with no items.
  const empty = await h.call('GET', '/api/v1/namespaces/nothing-here/configmaps');
  assert.equal(empty.status, 200);
  assert.deepEqual(empty.json<{ items: unknown[] }>().items, []);
  assert.equal(empty.headers['content-length'], String(empty.body.length));
});

test('dryRun=All reaches the registry as dryRun', async () => {
  const res = await h.call('POST', `${CM}?dryRun=All`, { body: cm('dry'), headers: json });
  assert.equal(res.status, 201);
  const call = h.backends.calls.findLast((c) => c.method === 'Registry.Create')!.request as {
    attributes: { dryRun: boolean };
  };
  assert.equal(call.attributes.dryRun, true);
  assert.equal((await h.call('GET', `${CM}/dry`)).status, 404);
});

test('YAML bodies and YAML responses', async () => {
  const res = await h.call('POST', CM, {
    body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml-one\ndata:\n  k: v\n',
    headers: { 'content-type': 'application/yaml', accept: 'application/yaml' },
  });
  assert.equal(res.status, 201);
  assert.equal(res.headers['content-type'], 'application/yaml');
  assert.match(res.text, /^apiVersion: v1\nkind: ConfigMap\n/);
});

test('protobuf bodies are decoded to JSON; protobuf responses when accepted', async () => {
  const pb = encodeObject({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'pb-one' },
    data: { x: 'y' },
  });
  const res = await h.call('POST', CM, {
    body: Buffer.from(pb),
    headers: {
      'content-type': 'application/vnd.kubernetes.protobuf',
      accept: 'application/vnd.kubernetes.protobuf, application/json',
    },
  });
  assert.equal(res.status, 201);
  assert.equal(res.headers['content-type'], 'application/vnd.kubernetes.protobuf');
  const decoded = decodeObject(res.body);
  assert.equal(decoded.kind, 'ConfigMap');
  assert.deepEqual((decoded.object as { data: unknown }).data, { x: 'y' });
  const stored = h.backends.objects.get('/configmaps/default/pb-one');
  assert.deepEqual(stored?.data, { x: 'y' });
});

test('Table output: kube columns, rows with PartialObjectMetadata by default', async () => {
  const accept =
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  const res = await h.call('GET', CM, { headers: { accept } });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json;as=Table;v=v1;g=meta.k8s.io');
  const table = res.json<{
    kind: string;
    apiVersion: string;
    metadata: { resourceVersion: string };
    columnDefinitions: Array<{
      name: string;
      type: string;
      format: string;
      description: string;
      priority: number;
    }>;
    rows: Array<{
      cells: unknown[];
      object: { kind: string; apiVersion: string; metadata: { name: string } };
    }>;
  }>();
  assert.equal(table.kind, 'Table');
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.match(table.metadata.resourceVersion, /^\d+$/);
  assert.deepEqual(
    table.columnDefinitions.map((c) => c.name),
    ['Name', 'Data', 'Age'],
  );
  assert.equal(table.columnDefinitions[0]!.format, 'name');
  const row = table.rows.find((r) => r.cells[0] === 'one')!;
  assert.deepEqual(row.cells.slice(0, 2), ['one', 1]);
  assert.match(String(row.cells[2]), /^9\ds$/);
  assert.equal(row.object.kind, 'PartialObjectMetadata');
  assert.equal(row.object.apiVersion, 'meta.k8s.io/v1');
  assert.equal(row.object.metadata.name, 'one');

  const none = await h.call('GET', `${CM}/one?includeObject=None`, { headers: { accept } });
  const single = none.json<{ rows: Array<{ object?: unknown }> }>();
  assert.equal(single.rows.length, 1);
  assert.ok(single.rows[0]!.object == null);
  const full = await h.call('GET', `${CM}/one?includeObject=Object`, { headers: { accept } });
  assert.equal(
    full.json<{ rows: Array<{ object: { kind: string } }> }>().rows[0]!.object.kind,
    'ConfigMap',
  );
  const bad = await h.call('GET', `${CM}?includeObject=All`, { headers: { accept } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json().message, 'unrecognized includeObject value: "All"');

  const beta = await h.call('GET', CM, {
    headers: { accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io' },
  });
  assert.equal(beta.json().apiVersion, 'meta.k8s.io/v1beta1');
});

test('PartialObjectMetadataList for metadata-only clients', async () => {
  const res = await h.call('GET', CM, {
    headers: { accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' },
  });
  assert.equal(res.status, 200);
  const body = res.json<{
    kind: string;
    apiVersion: string;
    items: Array<{ kind: string; metadata: { name: string }; data?: unknown }>;
  }>();
  assert.equal(body.kind, 'PartialObjectMetadataList');
  assert.equal(body.apiVersion, 'meta.k8s.io/v1');
  assert.ok(body.items.length > 0);
  assert.equal(body.items[0]!.kind, 'PartialObjectMetadata');
  assert.equal(body.items[0]!.data, undefined);
});

test('backend warnings become kube Warning headers', async () => {
  assert.equal(warningHeaderValue('plain text'), '299 - "plain text"');
  assert.equal(warningHeaderValue('say "hi"\\ é'), '299 - "say \\"hi\\"\\\\ \\u00e9"');
  h.backends.warnings.push('metadata.name: this is deprecated', 'second "quoted"');
  try {
    const res = await h.call('GET', `${CM}/one`);
    assert.equal(
      res.headers.warning,
      '299 - "metadata.name: this is deprecated", 299 - "second \\"quoted\\""',
    );
  } finally {
    h.backends.warnings.length = 0;
  }
});

test('patch and delete reach the registry with their options', async () => {
  const patched = await h.call('PATCH', `${CM}/one?fieldManager=me`, {
    body: '{"data":{"a":"2"}}',
    headers: { 'content-type': 'application/merge-patch+json; charset=utf-8' },
  });
  assert.equal(patched.status, 200);
  const patchCall = h.backends.calls.findLast((c) => c.method === 'Registry.Patch')!.request as {
    patchType: string;
  };
  assert.equal(patchCall.patchType, 'application/merge-patch+json');

  const del = await h.call('DELETE', `${CM}/one?gracePeriodSeconds=5`, {
    body: JSON.stringify({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
    }),
    headers: json,
  });
  assert.equal(del.status, 200, del.text);
  const delCall = h.backends.calls.findLast((c) => c.method === 'Registry.Delete')!.request as {
    attributes: { dryRun: boolean };
    options: Buffer;
  };
  assert.equal(delCall.attributes.dryRun, true);
  assert.deepEqual(JSON.parse(delCall.options.toString()), {
    kind: 'DeleteOptions',
    apiVersion: 'meta.k8s.io/v1',
    gracePeriodSeconds: 5,
    propagationPolicy: 'Foreground',
    dryRun: ['All'],
  });
  const invalid = await h.call('DELETE', `${CM}/one?propagationPolicy=Sideways`);
  assert.equal(invalid.status, 422);
  assert.match(
    String(invalid.json().message),
    /^DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways"/,
  );
});

test('scale GET goes to the registry', async () => {
  const dep = JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 3 },
  });
  assert.equal(
    (
      await h.call('POST', '/apis/apps/v1/namespaces/default/deployments', {
        body: dep,
        headers: json,
      })
    ).status,
    201,
  );
  const scale = await h.call('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale');
  assert.equal(scale.status, 200);
  assert.equal(scale.json<{ kind: string; spec: { replicas: number } }>().spec.replicas, 3);
  assert.ok(h.backends.calls.some((c) => c.method === 'Registry.Get'));
});

test('SelfSubjectAccessReview asks authz about the requester (kubectl auth can-i)', async () => {
  const review = (spec: unknown) =>
    JSON.stringify({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec,
    });
  const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
  const res = await h.call('POST', path, {
    body: review({
      resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' },
    }),
    headers: json,
    as: h.bob,
  });
  assert.equal(res.status, 201);
  assert.deepEqual(res.json<{ status: unknown }>().status, { allowed: true });
  const asked = h.backends.calls.findLast((c) => c.method === 'Authorizer.Authorize')!.request as {
    user: { username: string };
    verb: string;
    resource: string;
  };
  assert.equal(asked.user.username, 'bob');
  assert.equal(asked.verb, 'create');
  assert.equal(asked.resource, 'pods');
  const pb = encodeObject({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { nonResourceAttributes: { path: '/logs', verb: 'get' } },
  });
  const bad = await h.call('POST', path, { body: review({}), headers: json });
  assert.equal(bad.status, 422);
  const ok = await h.call('POST', path, {
    body: Buffer.from(pb),
    headers: {
      'content-type': 'application/vnd.kubernetes.protobuf',
      accept: 'application/vnd.kubernetes.protobuf',
    },
  });
  assert.equal(ok.status, 201);
  assert.equal(
    (decodeObject(ok.body).object as { status: { allowed: boolean } }).status.allowed,
    true,
  );
});
