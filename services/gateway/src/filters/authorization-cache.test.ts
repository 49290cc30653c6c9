// The gateway's authorization decision cache, over HTTPS against the in-test gRPC authz
// peer: which requests reach authz, TTL expiry, 0 disabling, and that a cached decision
// never answers different attributes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Harness, startHarness } from '../testing/harness.js';
import { AuthorizationCache, authorizationCacheKey } from './authorization-cache.js';
import type { AuthorizeRequest } from '@splitplane/proto';

const authzCalls = (h: Harness) =>
  h.backends.calls.filter((c) => c.method === 'Authorizer.Authorize').length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('with the default 5s TTLs', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  test('a second identical request does not call authz', async () => {
    const path = '/api/v1/namespaces/cache-a/configmaps';
    const n = authzCalls(h);
    assert.equal((await h.call('GET', path)).status, 200);
    assert.equal(authzCalls(h), n + 1);
    assert.equal((await h.call('GET', path)).status, 200);
    assert.equal(authzCalls(h), n + 1);
  });

  test('a different user, verb or namespace calls authz', async () => {
    const path = '/api/v1/namespaces/cache-b/configmaps';
    await h.call('GET', path);
    let n = authzCalls(h);
    await h.call('GET', path, { as: h.bob });
    assert.equal(authzCalls(h), ++n, 'other user');
    await h.call('GET', `${path}?watch=false&limit=1`, { as: h.bob });
    assert.equal(authzCalls(h), n, 'same attributes, other query');
    await h.call('DELETE', path, { as: h.bob });
    assert.equal(authzCalls(h), ++n, 'other verb');
    await h.call('GET', '/api/v1/namespaces/cache-c/configmaps', { as: h.bob });
    assert.equal(authzCalls(h), ++n, 'other namespace');
    await h.call('GET', `${path}/one`, { as: h.bob });
    assert.equal(authzCalls(h), ++n, 'other name');
  });

  test('a cached denial stays a denial and answers only its own attributes', async () => {
    const denied = '/api/v1/namespaces/cache-d/secrets';
    h.backends.denied.add('bob');
    try {
      assert.equal((await h.call('GET', denied, { as: h.bob })).status, 403);
    } finally {
      h.backends.denied.delete('bob');
    }
    const n = authzCalls(h);
    // authz would allow now, but the denial is remembered for its TTL.
    const again = await h.call('GET', denied, { as: h.bob });
    assert.equal(again.status, 403);
    assert.equal(
      again.json().message,
      'secrets is forbidden: User "bob" cannot list resource "secrets" in API group "" in the namespace "cache-d"',
    );
    assert.equal(authzCalls(h), n);
    // The admin's identical request and bob's request elsewhere are decided afresh.
    assert.equal((await h.call('GET', denied)).status, 200);
    assert.equal(
      (await h.call('GET', '/api/v1/namespaces/cache-e/secrets', { as: h.bob })).status,
      200,
    );
    assert.equal(authzCalls(h), n + 2);
  });

  test('errors are never cached', async () => {
    const path = '/api/v1/namespaces/cache-f/configmaps';
    h.backends.authzErrors.add('bob');
    try {
      const n = authzCalls(h);
      assert.ok((await h.call('GET', path, { as: h.bob })).status >= 500);
      assert.ok((await h.call('GET', path, { as: h.bob })).status >= 500);
      assert.equal(authzCalls(h), n + 2);
    } finally {
      h.backends.authzErrors.delete('bob');
    }
    const n = authzCalls(h);
    assert.equal((await h.call('GET', path, { as: h.bob })).status, 200);
    assert.equal(authzCalls(h), n + 1);
  });
});

describe('with short TTLs', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      authorizationCacheAuthorizedTtlMs: 150,
      authorizationCacheUnauthorizedTtlMs: 150,
    });
  });
  after(async () => {
    await h.stop();
  });

  test('an expired decision calls authz again', async () => {
    const path = '/api/v1/namespaces/ttl/configmaps';
    h.backends.denied.add('bob');
    try {
      assert.equal((await h.call('GET', path, { as: h.bob })).status, 403);
    } finally {
      h.backends.denied.delete('bob');
    }
    const n = authzCalls(h);
    assert.equal((await h.call('GET', path, { as: h.bob })).status, 403);
    assert.equal(authzCalls(h), n);
    await sleep(250);
    assert.equal((await h.call('GET', path, { as: h.bob })).status, 200);
    assert.equal(authzCalls(h), n + 1);
    assert.equal((await h.call('GET', path, { as: h.bob })).status, 200);
    assert.equal(authzCalls(h), n + 1);
    await sleep(250);
    assert.equal((await h.call('GET', path, { as: h.bob })).status, 200);
    assert.equal(authzCalls(h), n + 2);
  });
});

describe('with TTL 0', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      authorizationCacheAuthorizedTtlMs: 0,
      authorizationCacheUnauthorizedTtlMs: 0,
    });
  });
  after(async () => {
    await h.stop();
  });

  test('every request calls authz', async () => {
    const path = '/api/v1/namespaces/off/configmaps';
    const n = authzCalls(h);
    for (let i = 0; i < 3; i++) assert.equal((await h.call('GET', path)).status, 200);
    assert.equal(authzCalls(h), n + 3);
  });
});

describe('AuthorizationCache', () => {
  const base: AuthorizeRequest = {
    user: { username: 'u', uid: '', groups: ['g'], extra: {} },
    verb: 'get',
    resourceRequest: true,
    path: '',
    apiGroup: '',
    apiVersion: 'v1',
    resource: 'pods',
    subresource: '',
    namespace: 'ns',
    name: 'n',
  };

  test('keys differ whenever any attribute differs, even with separators inside values', () => {
    const variants: AuthorizeRequest[] = [
      base,
      { ...base, user: { ...base.user!, username: 'v' } },
      { ...base, user: { ...base.user!, uid: '1' } },
      { ...base, user: { ...base.user!, groups: ['g', 'system:masters'] } },
      { ...base, user: { ...base.user!, extra: { scopes: { values: ['x'] } } } },
      { ...base, user: undefined },
      { ...base, verb: 'list' },
      { ...base, resourceRequest: false },
      { ...base, path: '/x' },
      { ...base, apiGroup: 'apps' },
      { ...base, apiVersion: 'v2' },
      { ...base, resource: 'secrets' },
      { ...base, subresource: 'status' },
      { ...base, namespace: 'other' },
      { ...base, name: 'm' },
      { ...base, namespace: 'ns","n', name: '' },
      { ...base, namespace: '', name: 'ns","n' },
    ];
    const keys = new Set(variants.map(authorizationCacheKey));
    assert.equal(keys.size, variants.length);
    assert.equal(authorizationCacheKey({ ...base }), authorizationCacheKey(base));
  });

  test('separate TTLs: 0 for allows caches only denials', () => {
    const cache = new AuthorizationCache({ authorizedTtlMs: 0, unauthorizedTtlMs: 1000 });
    cache.set('a', { allowed: true, reason: '' });
    cache.set('d', { allowed: false, reason: 'no' });
    assert.equal(cache.get('a'), undefined);
    assert.deepEqual(cache.get('d'), { allowed: false, reason: 'no' });
    assert.equal(cache.enabled, true);
    assert.equal(
      new AuthorizationCache({ authorizedTtlMs: 0, unauthorizedTtlMs: 0 }).enabled,
      false,
    );
  });

  test('bounded in size', () => {
    const cache = new AuthorizationCache({
      authorizedTtlMs: 1000,
      unauthorizedTtlMs: 1000,
      maxEntries: 3,
    });
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, { allowed: true, reason: '' });
    assert.equal(cache.size, 3);
    assert.equal(cache.get('k0'), undefined);
    assert.ok(cache.get('k9'));
  });
});

describe('AuthorizationCache invalidation', () => {
  test('invalidate() forgets every decision', () => {
    const cache = new AuthorizationCache({ authorizedTtlMs: 60_000, unauthorizedTtlMs: 60_000 });
    cache.set('a', { allowed: true, reason: '' });
    cache.set('d', { allowed: false, reason: '' });
    cache.invalidate();
    assert.equal(cache.size, 0);
    assert.equal(cache.get('a'), undefined);
    cache.set('a', { allowed: true, reason: '' });
    assert.deepEqual(cache.get('a'), { allowed: true, reason: '' });
  });

  test('a decision asked before an invalidation is not stored after it', () => {
    const cache = new AuthorizationCache({ authorizedTtlMs: 60_000, unauthorizedTtlMs: 60_000 });
    const asked = cache.generation;
    cache.invalidate(); // RBAC changed while authz was answering
    cache.set('late', { allowed: false, reason: '' }, asked);
    assert.equal(cache.get('late'), undefined);
    cache.set('fresh', { allowed: false, reason: '' }, cache.generation);
    assert.deepEqual(cache.get('fresh'), { allowed: false, reason: '' });
  });
});

describe('--authorization-cache=false', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ authorizationCacheEnabled: false });
  });
  after(async () => {
    await h.stop();
  });

  test('every request calls authz, whatever the TTLs', async () => {
    const path = '/api/v1/namespaces/disabled/configmaps';
    const n = authzCalls(h);
    for (let i = 0; i < 3; i++) assert.equal((await h.call('GET', path)).status, 200);
    assert.equal(authzCalls(h), n + 3);
  });
});
