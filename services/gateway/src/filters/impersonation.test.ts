// The impersonation filter over HTTPS against the fake authz: which `impersonate` checks it
// asks, the user the request then acts as, and kube's exact error Statuses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthorizeRequest } from '@splitplane/proto';
import { type Harness, startHarness } from '../testing/harness.js';
import { splitServiceAccountUsername } from './impersonation.js';

let h: Harness;
before(async () => {
  // No decision cache: every check must reach the fake authz to be observed.
  h = await startHarness({
    authorizationCacheAuthorizedTtlMs: 0,
    authorizationCacheUnauthorizedTtlMs: 0,
  });
});
after(async () => {
  await h.stop();
});

const CM = '/api/v1/namespaces/default/configmaps';

function authzCallsSince(n: number): AuthorizeRequest[] {
  return h.backends.calls
    .slice(n)
    .filter((c) => c.method === 'Authorizer.Authorize')
    .map((c) => c.request as AuthorizeRequest);
}

test('Impersonate-User, -Group, -Extra and -Uid: each checked, then the request acts as them', async () => {
  const n = h.backends.calls.length;
  const res = await h.call('GET', `${CM}?limit=1`, {
    headers: {
      'Impersonate-User': 'alice',
      'Impersonate-Group': ['team-a', 'team-b'],
      'Impersonate-Extra-Scopes%2Fread': ['one', 'two'],
      'Impersonate-Uid': 'u-1',
    },
  });
  assert.equal(res.status, 200, res.text);
  const calls = authzCallsSince(n);
  const checks = calls.slice(0, -1).map((c) => ({
    user: c.user?.username,
    verb: c.verb,
    group: c.apiGroup,
    resource: c.resource,
    sub: c.subresource,
    ns: c.namespace,
    name: c.name,
  }));
  const admin = 'kubernetes-admin';
  assert.deepEqual(checks, [
    {
      user: admin,
      verb: 'impersonate',
      group: '',
      resource: 'users',
      sub: '',
      ns: '',
      name: 'alice',
    },
    {
      user: admin,
      verb: 'impersonate',
      group: '',
      resource: 'groups',
      sub: '',
      ns: '',
      name: 'team-a',
    },
    {
      user: admin,
      verb: 'impersonate',
      group: '',
      resource: 'groups',
      sub: '',
      ns: '',
      name: 'team-b',
    },
    {
      user: admin,
      verb: 'impersonate',
      group: 'authentication.k8s.io',
      resource: 'userextras',
      sub: 'scopes/read',
      ns: '',
      name: 'one',
    },
    {
      user: admin,
      verb: 'impersonate',
      group: 'authentication.k8s.io',
      resource: 'userextras',
      sub: 'scopes/read',
      ns: '',
      name: 'two',
    },
    {
      user: admin,
      verb: 'impersonate',
      group: 'authentication.k8s.io',
      resource: 'uids',
      sub: '',
      ns: '',
      name: 'u-1',
    },
  ]);
  const last = calls.at(-1)!;
  assert.equal(last.verb, 'list');
  assert.deepEqual(last.user, {
    username: 'alice',
    uid: 'u-1',
    groups: ['team-a', 'team-b', 'system:authenticated'],
    extra: { 'scopes/read': { values: ['one', 'two'] } },
  });
});

test('a service account user: serviceaccounts in its namespace, and its groups', async () => {
  const n = h.backends.calls.length;
  const res = await h.call('GET', `${CM}?limit=1`, {
    headers: { 'Impersonate-User': 'system:serviceaccount:kube-system:builder' },
  });
  assert.equal(res.status, 200, res.text);
  const [check, request] = authzCallsSince(n);
  assert.equal(check!.resource, 'serviceaccounts');
  assert.equal(check!.apiGroup, '');
  assert.equal(check!.namespace, 'kube-system');
  assert.equal(check!.name, 'builder');
  assert.deepEqual(request!.user!.groups, [
    'system:serviceaccounts',
    'system:serviceaccounts:kube-system',
    'system:authenticated',
  ]);
  assert.equal(request!.user!.username, 'system:serviceaccount:kube-system:builder');
});

test('explicit system:unauthenticated is kept without system:authenticated; anonymous gets unauthenticated', async () => {
  let n = h.backends.calls.length;
  await h.call('GET', `${CM}?limit=1`, {
    headers: { 'Impersonate-User': 'carol', 'Impersonate-Group': 'system:unauthenticated' },
  });
  assert.deepEqual(authzCallsSince(n).at(-1)!.user!.groups, ['system:unauthenticated']);
  n = h.backends.calls.length;
  await h.call('GET', `${CM}?limit=1`, { headers: { 'Impersonate-User': 'system:anonymous' } });
  assert.deepEqual(authzCallsSince(n).at(-1)!.user!.groups, ['system:unauthenticated']);
});

test('not allowed to impersonate: kube’s 403 for the first refused check', async () => {
  const res = await h.call('GET', CM, { as: h.bob, headers: { 'Impersonate-User': 'alice' } });
  h.backends.denied.add('bob');
  try {
    const denied = await h.call('GET', CM, { as: h.bob, headers: { 'Impersonate-User': 'alice' } });
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'users "alice" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
      reason: 'Forbidden',
      details: { name: 'alice', kind: 'users' },
      code: 403,
    });
    const sa = await h.call('GET', CM, {
      as: h.bob,
      headers: { 'Impersonate-User': 'system:serviceaccount:ns1:robot' },
    });
    assert.equal(
      sa.json().message,
      'serviceaccounts "robot" is forbidden: User "bob" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "ns1"',
    );
  } finally {
    h.backends.denied.delete('bob');
  }
  assert.equal(res.status, 200);
});

test('Impersonate-Group without Impersonate-User: kube’s plain-text InternalError', async () => {
  const res = await h.call('GET', `${CM}?limit=1`, {
    headers: { 'Impersonate-Group': 'system:masters' },
  });
  assert.equal(res.status, 500);
  assert.equal(res.headers['content-type'], 'text/plain');
  assert.equal(
    res.text,
    `Internal Server Error: "${CM}?limit=1": requested [{Group  system:masters    }] without impersonating a user`,
  );
  const uid = await h.call('GET', CM, { headers: { 'Impersonate-Uid': 'u1' } });
  assert.equal(
    uid.text,
    `Internal Server Error: "${CM}": requested [{UID  u1  authentication.k8s.io/v1  }] without impersonating a user`,
  );
});

test('service account user names follow kube’s SplitUsername', () => {
  assert.deepEqual(splitServiceAccountUsername('system:serviceaccount:ns:sa'), {
    namespace: 'ns',
    name: 'sa',
  });
  assert.equal(splitServiceAccountUsername('system:serviceaccount:ns'), undefined);
  assert.equal(splitServiceAccountUsername('system:serviceaccount:NS:sa'), undefined);
  assert.equal(splitServiceAccountUsername('system:serviceaccount:ns:a:b'), undefined);
  assert.equal(splitServiceAccountUsername('alice'), undefined);
});

test('kube escapes &, < and > of the names in its Forbidden message', async () => {
  h.backends.denied.add('bob');
  try {
    const res = await h.call('GET', CM, { as: h.bob, headers: { 'Impersonate-User': 'a<b>&c' } });
    assert.equal(
      res.json().message,
      'users "a<b>&c" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  } finally {
    h.backends.denied.delete('bob');
  }
});

test('with the decision cache, repeated impersonation checks are answered from it', async () => {
  const cachedHarness = await startHarness();
  try {
    const calls = () =>
      cachedHarness.backends.calls.filter(
        (c) =>
          c.method === 'Authorizer.Authorize' &&
          (c.request as AuthorizeRequest).verb === 'impersonate',
      ).length;
    const headers = { 'Impersonate-User': 'alice', 'Impersonate-Group': 'team-a' };
    assert.equal((await cachedHarness.call('GET', `${CM}?limit=1`, { headers })).status, 200);
    const n = calls();
    assert.equal(n, 2);
    assert.equal((await cachedHarness.call('GET', `${CM}?limit=2`, { headers })).status, 200);
    assert.equal(calls(), n);
  } finally {
    await cachedHarness.stop();
  }
});
