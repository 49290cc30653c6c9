// The filter chain end to end over HTTPS: authentication, authorization, max-in-flight,
// timeout, CORS, panic recovery.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Harness, startHarness } from '../testing/harness.js';

let h: Harness;
let tokenDir: string;
before(async () => {
  tokenDir = await mkdtemp(join(tmpdir(), 'filters-test-'));
  await writeFile(join(tokenDir, 'tokens.csv'), 'carol-token,carol,1001,"dev,qa"\n');
  h = await startHarness({
    authentication: { tokenAuthFile: join(tokenDir, 'tokens.csv') },
    maxMutatingRequestsInflight: 1,
    requestTimeoutMs: 1500,
    corsAllowedOrigins: ['//localhost(:|$)', '^https://ui\\.example\\.com$'],
  });
});
after(async () => {
  await h.stop();
  await rm(tokenDir, { recursive: true, force: true });
});

const CM = '/api/v1/namespaces/default/configmaps';
const json = { 'content-type': 'application/json' };
const cm = (name: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

test('no credential: system:anonymous in system:unauthenticated reaches authz', async () => {
  await h.call('GET', `${CM}?limit=2`, { as: h.anonymous });
  const authz = h.backends.calls.findLast((c) => c.method === 'Authorizer.Authorize')!.request as {
    user: { username: string; groups: string[] };
  };
  assert.equal(authz.user.username, 'system:anonymous');
  assert.deepEqual(authz.user.groups, ['system:unauthenticated']);
});

test('a static token authenticates; the Authorization header never reaches a backend', async () => {
  await h.call('GET', `${CM}?limit=3`, {
    as: h.anonymous,
    headers: { authorization: 'Bearer carol-token' },
  });
  const authz = h.backends.calls.findLast((c) => c.method === 'Authorizer.Authorize')!.request as {
    user: { username: string; uid: string; groups: string[] };
  };
  assert.equal(authz.user.username, 'carol');
  assert.equal(authz.user.uid, '1001');
  assert.deepEqual(authz.user.groups, ['dev', 'qa', 'system:authenticated']);
});

test('an invalid bearer token: 401 Unauthorized Status, even with anonymous auth on', async () => {
  const res = await h.call('GET', CM, {
    as: h.anonymous,
    headers: { authorization: 'Bearer not-a-known-token' },
  });
  assert.equal(res.status, 401);
  assert.equal(
    res.text,
    '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n',
  );
});

test('a certificate from another CA is not trusted', async () => {
  const { createCA, issueClientCert } = await import('@splitplane/pki');
  const otherCa = await createCA('evil-ca');
  const mallory = await issueClientCert(otherCa, {
    commonName: 'kubernetes-admin',
    organizations: ['system:masters'],
  });
  const res = await h.call('GET', CM, {
    as: { ca: h.admin.ca, cert: mallory.certPem, key: mallory.keyPem },
  });
  assert.equal(res.status, 401);
});

test('health and version are public; the user reaches authz with CN, O and system:authenticated', async () => {
  assert.equal((await h.call('GET', '/livez', { as: h.anonymous })).status, 200);
  assert.equal((await h.call('GET', '/version', { as: h.anonymous })).json().minor, '32');
  await h.call('GET', `${CM}?limit=1`, { as: h.bob });
  const authz = h.backends.calls.findLast((c) => c.method === 'Authorizer.Authorize')!.request as {
    user: { username: string; groups: string[] };
    verb: string;
    resourceRequest: boolean;
    namespace: string;
    resource: string;
  };
  assert.deepEqual(authz.user.groups, ['dev', 'system:authenticated']);
  assert.equal(authz.user.username, 'bob');
  assert.equal(authz.verb, 'list');
  assert.equal(authz.resourceRequest, true);
  assert.equal(authz.namespace, 'default');
  assert.equal(authz.resource, 'configmaps');
});

test('authorizer NoOpinion/Deny: 403 with kube’s exact message', async () => {
  h.backends.denied.add('bob');
  try {
    const list = await h.call('GET', '/api/v1/namespaces/default/pods', { as: h.bob });
    assert.equal(list.status, 403);
    assert.deepEqual(list.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
    const named = await h.call('GET', '/apis/apps/v1/namespaces/prod/deployments/web/scale', {
      as: h.bob,
    });
    assert.equal(
      named.json().message,
      'deployments.apps "web" is forbidden: User "bob" cannot get resource "deployments/scale" in API group "apps" in the namespace "prod"',
    );
    assert.deepEqual(named.json().details, { name: 'web', group: 'apps', kind: 'deployments' });
    const cluster = await h.call('GET', '/api/v1/nodes', { as: h.bob });
    assert.equal(
      cluster.json().message,
      'nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    const path = await h.call('GET', '/foo', { as: h.bob });
    assert.equal(path.status, 403);
    assert.equal(path.json().message, 'forbidden: User "bob" cannot get path "/foo"');
    assert.deepEqual(path.json().details, {});
  } finally {
    h.backends.denied.delete('bob');
  }
});

test('unknown non-resource paths are 404 for authorized users', async () => {
  const res = await h.call('GET', '/foo');
  assert.equal(res.status, 404);
  assert.equal(res.json().message, 'the server could not find the requested resource');
});

test('mutating requests over --max-mutating-requests-inflight get 429 with Retry-After: 1', async () => {
  h.backends.hangNames.add('slow');
  const slow = h.call('POST', CM, { body: cm('slow'), headers: json });
  await new Promise((r) => setTimeout(r, 200));
  const rejected = await h.call('POST', CM, { body: cm('fast'), headers: json });
  assert.equal(rejected.status, 429);
  assert.equal(rejected.headers['retry-after'], '1');
  assert.deepEqual(rejected.json(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Too many requests, please try again later.',
    reason: 'TooManyRequests',
    details: { retryAfterSeconds: 1 },
    code: 429,
  });
  // Readonly requests have their own budget.
  assert.equal((await h.call('GET', CM)).status, 200);
  h.backends.hangNames.delete('slow');
  assert.equal((await slow).status, 201);
  assert.equal((await h.call('POST', CM, { body: cm('fast'), headers: json })).status, 201);
});

test('requests past min(timeout, --request-timeout) get kube’s 504 and the gRPC call is cancelled', async () => {
  h.backends.hangNames.add('stuck');
  try {
    const started = Date.now();
    const res = await h.call('POST', `${CM}?timeout=300ms`, { body: cm('stuck'), headers: json });
    assert.ok(Date.now() - started < 1400, 'the timeout query parameter shortens the deadline');
    assert.equal(res.status, 504);
    assert.deepEqual(res.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Timeout: request did not complete within requested timeout - context deadline exceeded',
      reason: 'Timeout',
      details: {},
      code: 504,
    });
    await waitUntil(() => h.backends.cancelledCalls >= 1);
    const capped = await h.call('POST', `${CM}?timeout=1h`, { body: cm('stuck'), headers: json });
    assert.equal(capped.status, 504);
    // The gateway stays healthy and the in-flight slot was released.
    assert.equal(
      (await h.call('POST', CM, { body: cm('after-timeout'), headers: json })).status,
      201,
    );
  } finally {
    h.backends.hangNames.delete('stuck');
  }
});

test('CORS: allowed origins get kube’s headers; preflight answers 204', async () => {
  const pre = await h.call('OPTIONS', CM, {
    as: h.anonymous,
    headers: { origin: 'http://localhost:8001', 'access-control-request-method': 'POST' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers['access-control-allow-origin'], 'http://localhost:8001');
  assert.equal(
    pre.headers['access-control-allow-methods'],
    'POST, GET, OPTIONS, PUT, DELETE, PATCH',
  );
  assert.equal(
    pre.headers['access-control-allow-headers'],
    'Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization, X-Requested-With, If-Modified-Since',
  );
  assert.equal(pre.headers['access-control-allow-credentials'], 'true');
  const get = await h.call('GET', CM, { headers: { origin: 'https://ui.example.com' } });
  assert.equal(get.headers['access-control-allow-origin'], 'https://ui.example.com');
  assert.equal(get.headers['access-control-expose-headers'], 'Date');
  const other = await h.call('GET', CM, { headers: { origin: 'https://evil.example.com' } });
  assert.equal(other.headers['access-control-allow-origin'], undefined);
});

async function waitUntil(cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
