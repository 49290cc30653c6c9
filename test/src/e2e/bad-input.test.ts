// Every kind of bad input gets kube's Status (code and reason) and stores nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPlane, type HttpResult, type Plane } from './plane.js';

const CM_PATH = '/api/v1/namespaces/default/configmaps';
const json = { 'Content-Type': 'application/json' };

function assertStatus(r: HttpResult, code: number, reason: string, message?: RegExp): void {
  assert.equal(r.status, code, r.body);
  const status = r.json();
  assert.equal(status.kind, 'Status');
  assert.equal(status.apiVersion, 'v1');
  assert.equal(status.status, 'Failure');
  assert.equal(status.code, code);
  assert.equal(status.reason, reason);
  if (message) assert.match(status.message, message);
}

describe('bad input', { timeout: 300_000 }, () => {
  let plane: Plane;
  const configMapNames = async () =>
    (await plane.request('GET', CM_PATH))
      .json()
      .items.map((i: { metadata: { name: string } }) => i.metadata.name);

  before(async () => {
    plane = await startPlane();
  });
  after(async () => {
    await plane?.stop();
  });

  it('refuses malformed JSON with 400', async () => {
    const r = await plane.request('POST', CM_PATH, {
      body: '{"apiVersion":"v1","kind":"ConfigMap",',
      headers: json,
    });
    assertStatus(r, 400, 'BadRequest');
    assert.deepEqual(await configMapNames(), []);
  });

  it('refuses malformed YAML with 400', async () => {
    const r = await plane.request('POST', CM_PATH, {
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [unclosed\n',
      headers: { 'Content-Type': 'application/yaml' },
    });
    assertStatus(r, 400, 'BadRequest');
    assert.deepEqual(await configMapNames(), []);
  });

  it('refuses a body over 3 MiB with 413', async () => {
    const big = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big' },
      data: { blob: 'x'.repeat(3 * 1024 * 1024 + 10) },
    });
    const r = await plane.request('POST', CM_PATH, { body: big, headers: json });
    assertStatus(r, 413, 'RequestEntityTooLarge');
    assert.deepEqual(await configMapNames(), []);
  });

  it('refuses a kind that does not match the path with 400', async () => {
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'wrong-kind' },
    });
    const r = await plane.request('POST', CM_PATH, { body, headers: json });
    assertStatus(r, 400, 'BadRequest');
    assert.deepEqual(await configMapNames(), []);
  });

  it("refuses values of the wrong JSON type with 400, worded as Go's decoder", async () => {
    const path = '/apis/apps/v1/namespaces/default/deployments';
    const body = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'wrong-types' },
      spec: {
        selector: { matchExpressions: 'app=web' },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        },
      },
    });
    const r = await plane.request('POST', path, { body, headers: json });
    assertStatus(
      r,
      400,
      'BadRequest',
      /^Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field LabelSelector\.spec\.selector\.matchExpressions of type \[\]v1\.LabelSelectorRequirement$/,
    );
    assert.equal((await plane.request('GET', `${path}/wrong-types`)).status, 404);
  });

  it('refuses an invalid name with 422 and a field cause', async () => {
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'Bad_Name' },
    });
    const r = await plane.request('POST', CM_PATH, { body, headers: json });
    assertStatus(
      r,
      422,
      'Invalid',
      /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"/,
    );
    const cause = r.json().details.causes[0];
    assert.equal(cause.field, 'metadata.name');
    assert.equal(cause.reason, 'FieldValueInvalid');
    assert.deepEqual(await configMapNames(), []);
  });

  it('refuses unknown fields under fieldValidation=Strict with 400, and warns under Warn', async () => {
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'strict' },
      bogus: 1,
    });
    const strict = await plane.request('POST', `${CM_PATH}?fieldValidation=Strict`, {
      body,
      headers: json,
    });
    assertStatus(strict, 400, 'BadRequest', /strict decoding error: unknown field "bogus"/);
    assert.deepEqual(await configMapNames(), []);

    const warned = await plane.request('POST', `${CM_PATH}?fieldValidation=Warn`, {
      body,
      headers: json,
    });
    assert.equal(warned.status, 201, warned.body);
    assert.match(String(warned.headers['warning']), /299 - "unknown field \\"bogus\\""/);
    assert.equal(warned.json().bogus, undefined, 'unknown fields are dropped');
    await plane.request('DELETE', `${CM_PATH}/strict`);
  });

  it('refuses a stale resourceVersion with 409 Conflict', async () => {
    const created = await plane.request('POST', CM_PATH, {
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cas' },
        data: { v: '1' },
      }),
      headers: json,
    });
    assert.equal(created.status, 201, created.body);
    const stale = created.json();
    const fresh = { ...stale, data: { v: '2' } };
    assert.equal(
      (await plane.request('PUT', `${CM_PATH}/cas`, { body: JSON.stringify(fresh), headers: json }))
        .status,
      200,
    );
    const r = await plane.request('PUT', `${CM_PATH}/cas`, {
      body: JSON.stringify({ ...stale, data: { v: 'lost' } }),
      headers: json,
    });
    assertStatus(
      r,
      409,
      'Conflict',
      /the object has been modified; please apply your changes to the latest version/,
    );
    assert.equal((await plane.request('GET', `${CM_PATH}/cas`)).json().data.v, '2');
    await plane.request('DELETE', `${CM_PATH}/cas`);
  });

  it('refuses a missing namespace with 404', async () => {
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'orphan' },
    });
    const r = await plane.request('POST', '/api/v1/namespaces/nope/configmaps', {
      body,
      headers: json,
    });
    assertStatus(r, 404, 'NotFound', /^namespaces "nope" not found$/);
    const list = await plane.request('GET', '/api/v1/configmaps');
    assert.deepEqual(list.json().items, []);
  });

  it('answers 404 for an unknown object and an unknown resource', async () => {
    assertStatus(
      await plane.request('GET', `${CM_PATH}/missing`),
      404,
      'NotFound',
      /^configmaps "missing" not found$/,
    );
    assertStatus(
      await plane.request('GET', '/apis/apps/v1/namespaces/default/widgets'),
      404,
      'NotFound',
    );
  });

  // Without any credential a request is system:anonymous (--anonymous-auth, kube's default)
  // and RBAC decides; a credential that does not authenticate is a 401.
  it('answers 401 for a bearer token that does not authenticate', async () => {
    assertStatus(
      await plane.request('GET', CM_PATH, {
        anonymous: true,
        headers: { authorization: 'Bearer not-a-token' },
      }),
      401,
      'Unauthorized',
    );
  });
});
