import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes } from '../authorizer/authorizer.js';
import { RbacAuthorizer } from './rbac-authorizer.js';
import { staticRbacView } from './rbac-view.js';

const view = staticRbacView({
  clusterRoles: [
    {
      metadata: { name: 'reader' },
      rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
    },
    { metadata: { name: 'health' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] },
  ],
  roles: [
    {
      metadata: { name: 'cm', namespace: 'ns1' },
      rules: [{ verbs: ['*'], apiGroups: [''], resources: ['configmaps'] }],
    },
  ],
  clusterRoleBindings: [
    {
      metadata: { name: 'devs-read' },
      roleRef: { kind: 'ClusterRole', name: 'reader' },
      subjects: [{ kind: 'Group', name: 'devs' }],
    },
    {
      metadata: { name: 'all-health' },
      roleRef: { kind: 'ClusterRole', name: 'health' },
      subjects: [{ kind: 'Group', name: 'system:authenticated' }],
    },
    {
      metadata: { name: 'dangling' },
      roleRef: { kind: 'ClusterRole', name: 'gone' },
      subjects: [{ kind: 'User', name: 'carol' }],
    },
    // A ServiceAccount subject without a namespace never applies cluster-wide.
    {
      metadata: { name: 'sa-no-ns' },
      roleRef: { kind: 'ClusterRole', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'bot' }],
    },
  ],
  roleBindings: [
    {
      metadata: { name: 'alice-cm', namespace: 'ns1' },
      roleRef: { kind: 'Role', name: 'cm' },
      subjects: [{ kind: 'User', name: 'alice' }],
    },
    {
      metadata: { name: 'bot-cm', namespace: 'ns1' },
      roleRef: { kind: 'Role', name: 'cm' },
      subjects: [{ kind: 'ServiceAccount', name: 'bot' }],
    },
    {
      metadata: { name: 'alice-read', namespace: 'ns2' },
      roleRef: { kind: 'ClusterRole', name: 'reader' },
      subjects: [{ kind: 'User', name: 'alice' }],
    },
  ],
});
const rbac = new RbacAuthorizer(view);

const attrs = (username: string, groups: string[], over: Partial<Attributes>): Attributes => ({
  user: { username, uid: '', groups, extra: {} },
  verb: 'get',
  resourceRequest: true,
  path: '',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'pods',
  subresource: '',
  namespace: '',
  name: '',
  ...over,
});

describe('RbacAuthorizer', () => {
  it("allows through a ClusterRoleBinding to a group, with kube's reason", async () => {
    const r = await rbac.authorize(attrs('bob', ['devs'], { verb: 'list', namespace: 'x' }));
    assert.deepEqual(r, {
      decision: 'Allow',
      reason:
        'RBAC: allowed by ClusterRoleBinding "devs-read" of ClusterRole "reader" to Group "devs"',
    });
  });

  it('grants a RoleBinding only in its namespace', async () => {
    const ok = await rbac.authorize(
      attrs('alice', [], { verb: 'delete', resource: 'configmaps', namespace: 'ns1' }),
    );
    assert.equal(
      ok.reason,
      'RBAC: allowed by RoleBinding "alice-cm/ns1" of Role "cm" to User "alice"',
    );
    const other = await rbac.authorize(
      attrs('alice', [], { verb: 'delete', resource: 'configmaps', namespace: 'ns2' }),
    );
    assert.deepEqual(other, { decision: 'NoOpinion', reason: '' });
    const cluster = await rbac.authorize(attrs('alice', [], { verb: 'list' }));
    assert.equal(cluster.decision, 'NoOpinion');
    const viaClusterRole = await rbac.authorize(
      attrs('alice', [], { verb: 'list', namespace: 'ns2' }),
    );
    assert.equal(
      viaClusterRole.reason,
      'RBAC: allowed by RoleBinding "alice-read/ns2" of ClusterRole "reader" to User "alice"',
    );
  });

  it('matches ServiceAccount subjects by username, defaulting to the binding namespace', async () => {
    const sa = await rbac.authorize(
      attrs(
        'system:serviceaccount:ns1:bot',
        ['system:serviceaccounts', 'system:serviceaccounts:ns1'],
        {
          verb: 'create',
          resource: 'configmaps',
          namespace: 'ns1',
        },
      ),
    );
    assert.equal(
      sa.reason,
      'RBAC: allowed by RoleBinding "bot-cm/ns1" of Role "cm" to ServiceAccount "bot/ns1"',
    );
    const wrongNs = await rbac.authorize(
      attrs('system:serviceaccount:ns2:bot', [], { verb: 'list', namespace: 'ns2' }),
    );
    assert.equal(wrongNs.decision, 'NoOpinion');
  });

  it('reports a missing role as the NoOpinion reason', async () => {
    const r = await rbac.authorize(attrs('carol', [], {}));
    assert.deepEqual(r, {
      decision: 'NoOpinion',
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    });
  });

  it('allows non-resource URLs', async () => {
    const r = await rbac.authorize(
      attrs('x', ['system:authenticated'], { resourceRequest: false, path: '/healthz' }),
    );
    assert.equal(r.decision, 'Allow');
    const no = await rbac.authorize(
      attrs('x', ['system:authenticated'], { resourceRequest: false, path: '/metrics' }),
    );
    assert.equal(no.decision, 'NoOpinion');
  });

  it('lists the rules a user holds in a namespace', () => {
    const rules = rbac.rulesFor({ username: 'alice', groups: ['system:authenticated'] }, 'ns1');
    assert.deepEqual(rules.resourceRules, [
      { verbs: ['*'], apiGroups: [''], resources: ['configmaps'] },
    ]);
    assert.deepEqual(rules.nonResourceRules, [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]);
    assert.equal(rules.incomplete, false);
  });
});
