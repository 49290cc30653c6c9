import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EscalationChecker } from './escalation.js';
import { RbacAuthorizer } from './rbac-authorizer.js';
import { staticRbacView } from './rbac-view.js';
import {
  ALWAYS_ALLOW_RULES,
  evaluationError,
  NO_RULES,
  UnionRuleResolver,
  unenumerableRules,
} from './rules-review.js';

const view = staticRbacView({
  clusterRoles: [
    { metadata: { name: 'r' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] },
  ],
  clusterRoleBindings: [
    {
      metadata: { name: 'a' },
      roleRef: { kind: 'ClusterRole', name: 'r' },
      subjects: [{ kind: 'User', name: 'u' }],
    },
    {
      metadata: { name: 'b' },
      roleRef: { kind: 'ClusterRole', name: 'missing' },
      subjects: [{ kind: 'User', name: 'u' }],
    },
  ],
});
const u = { username: 'u', groups: [] };

describe('rules review', () => {
  it('unions modes; a mode that cannot enumerate makes it incomplete', () => {
    const rbac = new RbacAuthorizer(view);
    const r = new UnionRuleResolver([rbac, unenumerableRules('webhook')]).rulesFor(u, 'ns');
    assert.deepEqual(r.resourceRules, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
    assert.equal(r.incomplete, true);
    assert.equal(
      evaluationError(r.errors),
      '[clusterrole.rbac.authorization.k8s.io "missing" not found, webhook authorizer does not support user rule resolution]',
    );
  });

  it('AlwaysAllow lists everything, AlwaysDeny nothing', () => {
    const r = new UnionRuleResolver([NO_RULES, ALWAYS_ALLOW_RULES]).rulesFor(u, '');
    assert.deepEqual(r.resourceRules, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
    assert.deepEqual(r.nonResourceRules, [{ verbs: ['*'], nonResourceURLs: ['*'] }]);
    assert.equal(r.incomplete, false);
  });

  it('escalation errors carry resolution errors as kube prints them', async () => {
    const checker = new EscalationChecker(
      { authorize: async () => ({ decision: 'NoOpinion', reason: '' }) },
      view,
    );
    const r = await checker.check({
      user: u,
      kind: 'ClusterRole',
      namespace: '',
      object: {
        metadata: { name: 'x' },
        rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }],
      },
    });
    assert.equal(
      r.reason,
      'user "u" (groups=[]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["pods"], Verbs:["list"]}; resolution errors: [clusterroles.rbac.authorization.k8s.io "missing" not found]',
    );
  });
});
