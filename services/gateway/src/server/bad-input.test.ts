// Every bad input gets the exact Kubernetes Status (code, reason, message), never a 500.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Harness, startHarness } from '../testing/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.stop();
});

const CM = '/api/v1/namespaces/default/configmaps';

test('unknown resource, group and version answer kube’s generic 404 exactly', async () => {
  for (const path of [
    '/api/v1/namespaces/default/widgets',
    '/apis/nope.example.com/v1/things',
    '/api/v9/pods',
    '/api/v1/namespaces/default/configmaps/x/bogus',
  ]) {
    const res = await h.call('GET', path);
    assert.equal(res.status, 404, path);
    assert.equal(
      res.text,
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}\n',
    );
    assert.equal(res.headers['content-type'], 'application/json');
  }
});

test('a namespaced resource by name without a namespace is 404; cluster-wide list is fine', async () => {
  assert.equal((await h.call('GET', '/api/v1/configmaps/x')).status, 404);
  assert.equal((await h.call('GET', '/api/v1/configmaps')).status, 200);
  assert.equal(
    (await h.call('GET', '/api/v1/configmaps?fieldSelector=metadata.name%3Dx')).status,
    200,
  );
});

test('unsupported verb for a resource is 405 MethodNotAllowed', async () => {
  const res = await h.call('DELETE', '/api/v1/namespaces');
  assert.equal(res.status, 405);
  const body = res.json();
  assert.equal(body.reason, 'MethodNotAllowed');
  assert.equal(body.message, 'deletecollection is not supported on resources of kind "namespaces"');
});

test('malformed JSON is 400 with kube’s decode wording', async () => {
  const res = await h.call('POST', CM, {
    body: '{"apiVersion": "v1", kind',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(res.status, 400);
  const body = res.json();
  assert.equal(body.reason, 'BadRequest');
  assert.match(
    String(body.message),
    /^the object provided is unrecognized \(must be of type ConfigMap\): couldn't get version\/kind; json parse error: invalid character 'k' looking for beginning of object key string \(\{"apiVersion": "v1", kind\)$/,
  );
  const empty = await h.call('POST', CM, {
    body: '',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(empty.status, 400);
  assert.equal(
    empty.json().message,
    "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)",
  );
  const array = await h.call('POST', CM, {
    body: '[1]',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(array.status, 400);
  assert.match(String(array.json().message), /cannot unmarshal array into Go value of type struct/);
});

test('malformed YAML is 400', async () => {
  const res = await h.call('POST', CM, {
    body: 'apiVersion: v1\nkind: [ConfigMap\n',
    headers: { 'content-type': 'application/yaml' },
  });
  assert.equal(res.status, 400);
  const body = res.json();
  assert.equal(body.reason, 'BadRequest');
  assert.match(
    String(body.message),
    /^the object provided is unrecognized \(must be of type ConfigMap\): error converting YAML to JSON: yaml: /,
  );
});

test('a body over --max-request-body-bytes is 413', async () => {
  const big = JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'big' },
    data: { x: 'a'.repeat(3 * 1024 * 1024) },
  });
  const res = await h.call('POST', CM, {
    body: big,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(res.status, 413);
  assert.deepEqual(res.json(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Request entity too large: limit is 3145728',
    reason: 'RequestEntityTooLarge',
    code: 413,
  });
});

test('an unknown content type is 415', async () => {
  const res = await h.call('POST', CM, {
    body: '<xml/>',
    headers: { 'content-type': 'application/xml' },
  });
  assert.equal(res.status, 415);
  const body = res.json();
  assert.equal(body.reason, 'UnsupportedMediaType');
  assert.match(
    String(body.message),
    /^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml/,
  );
  const patch = await h.call('PATCH', `${CM}/x`, {
    body: '{}',
    headers: { 'content-type': 'text/plain' },
  });
  assert.equal(patch.status, 415);
  assert.match(
    String(patch.json().message),
    /application\/json-patch\+json, application\/merge-patch\+json, application\/strategic-merge-patch\+json, application\/apply-patch\+yaml$/,
  );
});

test('a bad label selector is 400; a bad field selector too', async () => {
  const res = await h.call('GET', `${CM}?labelSelector=${encodeURIComponent('a in (b')}`);
  assert.equal(res.status, 400);
  assert.equal(res.json().reason, 'BadRequest');
  const fs = await h.call('GET', `${CM}?fieldSelector=${encodeURIComponent('metadata.name')}`);
  assert.equal(fs.status, 400);
  assert.equal(
    fs.json().message,
    "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
  );
});

test('bad numeric and boolean query parameters are 400', async () => {
  assert.equal((await h.call('GET', `${CM}?limit=abc`)).status, 400);
  assert.equal((await h.call('GET', `${CM}?allowWatchBookmarks=maybe&watch=1`)).status, 400);
  assert.equal(
    (await h.call('GET', `${CM}/x?timeout=soon`)).json().message,
    'invalid timeout specified in the request URL - time: invalid duration "soon"',
  );
});

test('invalid dryRun / fieldValidation are rejected as kube validates CreateOptions', async () => {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  const dry = await h.call('POST', `${CM}?dryRun=Yes`, {
    body,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(dry.status, 422);
  assert.match(
    String(dry.json().message),
    /^CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: .*supported values: "All"$/,
  );
  const fv = await h.call('POST', `${CM}?fieldValidation=Loud`, {
    body,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(fv.status, 422);
  assert.equal(
    fv.json().message,
    'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"',
  );
});

test('an unacceptable Accept is 406', async () => {
  const res = await h.call('GET', CM, { headers: { accept: 'text/html' } });
  assert.equal(res.status, 406);
  assert.equal(
    res.json().message,
    'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  );
});

test('backend Status errors pass through with their code and body', async () => {
  const res = await h.call('GET', `${CM}/missing`);
  assert.equal(res.status, 404);
  assert.deepEqual(res.json(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'configmaps "missing" not found',
    reason: 'NotFound',
    details: { name: 'missing', kind: 'configmaps' },
    code: 404,
  });
});

test('errors are YAML when the client asks for YAML', async () => {
  const res = await h.call('GET', `${CM}/missing`, { headers: { accept: 'application/yaml' } });
  assert.equal(res.status, 404);
  assert.equal(res.headers['content-type'], 'application/yaml');
  assert.match(res.text, /^kind: Status\napiVersion: v1\n/);
});
