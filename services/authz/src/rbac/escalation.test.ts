import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizerChain } from '../authorizer/modes.js';
import { EscalationChecker } from './escalation.js';
import { staticRbacView } from './rbac-view.js';

const view = staticRbacView({
  clusterRoles: [
    {
      metadata: { name: 'pod-reader' },
      rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
    },
    {
      metadata: { name: 'binder' },
      rules: [
        {
          verbs: ['bind'],
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['clusterroles'],
          resourceNames: ['admin'],
        },
      ],
    },
    {
      metadata: { name: 'named-escalator' },
      rules: [
        {
          verbs: ['escalate'],
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['roles'],
          resourceNames: ['r'],
        },
      ],
    },
    {
      metadata: { name: 'escalator' },
      rules: [
        { verbs: ['escalate'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'] },
      ],
    },
    { metadata: { name: 'admin' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] },
  ],
  clusterRoleBindings: [
    {
      metadata: { name: 'a' },
      roleRef: { kind: 'ClusterRole', name: 'pod-reader' },
      subjects: [{ kind: 'User', name: 'alice' }],
    },
    {
      metadata: { name: 'b' },
      roleRef: { kind: 'ClusterRole', name: 'binder' },
      subjects: [{ kind: 'User', name: 'binder' }],
    },
    {
      metadata: { name: 'ne' },
      roleRef: { kind: 'ClusterRole', name: 'named-escalator' },
      subjects: [{ kind: 'User', name: 'named-esc' }],
    },
    {
      metadata: { name: 'e' },
      roleRef: { kind: 'ClusterRole', name: 'escalator' },
      subjects: [{ kind: 'User', name: 'esc' }],
    },
  ],
});
const chain = authorizerChain(['RBAC'], { rbac: view });
const checker = new EscalationChecker(chain.authorizer, view);
const user = (username: string, groups: string[] = ['system:authenticated']) => ({
  username,
  groups,
});

describe('EscalationChecker', () => {
  it('lets a user grant what they hold', async () => {
    const r = await checker.check({
      user: user('alice'),
      kind: 'Role',
      namespace: 'ns',
      object: {
        metadata: { name: 'r' },
        rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      },
    });
    assert.deepEqual(r, { allowed: true, reason: '' });
  });

  it("refuses more, with kube's message", async () => {
    const r = await checker.check({
      user: user('alice'),
      kind: 'ClusterRole',
      namespace: '',
      object: {
        metadata: { name: 'r' },
        rules: [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods', 'secrets'] }],
      },
    });
    assert.equal(r.allowed, false);
    assert.equal(
      r.reason,
      'user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n' +
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
    );
  });

  it('asks a name-restricted escalate with the name on update only, as kube does', async () => {
    const object = {
      metadata: { name: 'r' },
      rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    };
    const check = (creating: boolean) =>
      checker.check({ user: user('named-esc'), kind: 'Role', namespace: 'ns', object, creating });
    // A create's request names no object, so escalate on "r" does not apply to it.
    assert.equal((await check(true)).allowed, false);
    assert.equal((await check(false)).allowed, true);
  });

  it('lets escalate through, and system:masters always', async () => {
    const object = {
      metadata: { name: 'r' },
      rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    };
    assert.equal(
      (await checker.check({ user: user('esc'), kind: 'Role', namespace: 'ns', object })).allowed,
      true,
    );
    assert.equal(
      (await checker.check({ user: user('esc'), kind: 'ClusterRole', namespace: '', object }))
        .allowed,
      false,
    );
    assert.equal(
      (
        await checker.check({
          user: user('root', ['system:masters']),
          kind: 'ClusterRole',
          namespace: '',
          object,
        })
      ).allowed,
      true,
    );
  });

  it('needs full authority for an aggregationRule', async () => {
    const r = await checker.check({
      user: user('alice'),
      kind: 'ClusterRole',
      namespace: '',
      object: {
        metadata: { name: 'agg' },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] },
        rules: [],
      },
    });
    assert.deepEqual(r, {
      allowed: false,
      reason: 'must have cluster-admin privileges to use the aggregationRule',
    });
  });

  it('checks bindings by bind or by holding the role', async () => {
    const bindAdmin = {
      metadata: { name: 'x' },
      roleRef: { kind: 'ClusterRole', name: 'admin' },
      subjects: [],
    };
    assert.equal(
      (
        await checker.check({
          user: user('binder'),
          kind: 'ClusterRoleBinding',
          namespace: '',
          object: bindAdmin,
        })
      ).allowed,
      true,
    );
    const denied = await checker.check({
      user: user('alice'),
      kind: 'RoleBinding',
      namespace: 'ns',
      object: bindAdmin,
    });
    assert.equal(denied.allowed, false);
    assert.match(
      denied.reason,
      /^user "alice" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}$/,
    );
    const held = { metadata: { name: 'y' }, roleRef: { kind: 'ClusterRole', name: 'pod-reader' } };
    assert.equal(
      (
        await checker.check({
          user: user('alice'),
          kind: 'RoleBinding',
          namespace: 'ns',
          object: held,
        })
      ).allowed,
      true,
    );
    const missing = { metadata: { name: 'z' }, roleRef: { kind: 'Role', name: 'nope' } };
    assert.deepEqual(
      await checker.check({
        user: user('alice'),
        kind: 'RoleBinding',
        namespace: 'ns',
        object: missing,
      }),
      {
        allowed: false,
        reason: 'roles.rbac.authorization.k8s.io "nope" not found',
      },
    );
  });
});
