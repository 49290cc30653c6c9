import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOOTSTRAP_CLUSTER_ROLE_BINDINGS } from './bindings.js';
import { BOOTSTRAP_CLUSTER_ROLES } from './cluster-roles.js';
import {
  AUTOUPDATE_ANNOTATION,
  bindingObject,
  clusterRoleObject,
  reconcileBinding,
  reconcileRole,
  type RbacObject,
} from './reconcile.js';
import { resourceRule } from './rules.js';

const role = (name: string) =>
  clusterRoleObject(BOOTSTRAP_CLUSTER_ROLES.find((r) => r.name === name)!);
const binding = (name: string) =>
  bindingObject(BOOTSTRAP_CLUSTER_ROLE_BINDINGS.find((b) => b.name === name)!);
const stored = (obj: RbacObject): RbacObject => ({
  ...structuredClone(obj),
  metadata: { ...structuredClone(obj.metadata), resourceVersion: '7', uid: 'u' },
});

describe('role reconciliation', () => {
  it('creates a missing role and leaves an equal one alone', () => {
    assert.equal(reconcileRole(undefined, role('view')).operation, 'create');
    assert.equal(
      reconcileRole(stored(role('system:discovery')), role('system:discovery')).operation,
      'none',
    );
  });

  it('adds missing rules and keeps extra ones', () => {
    const existing = stored(role('system:basic-user'));
    const extra = resourceRule(['get'], [''], ['pods']);
    existing.rules = [existing.rules![1]!, extra];
    const result = reconcileRole(existing, role('system:basic-user'));
    assert.equal(result.operation, 'update');
    assert.deepEqual(result.object.rules!.slice(0, 2), [existing.rules[0], extra]);
    assert.deepEqual(result.object.rules!.slice(2), [
      {
        verbs: ['create'],
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews'],
      },
      {
        verbs: ['create'],
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectrulesreviews'],
      },
    ]);
    assert.equal(result.object.metadata.resourceVersion, '7');
  });

  it('keeps existing label and annotation values, adds missing ones', () => {
    const existing = stored(role('edit'));
    existing.metadata.labels = { team: 'a' };
    existing.metadata.annotations = { [AUTOUPDATE_ANNOTATION]: 'true', note: 'x' };
    const result = reconcileRole(existing, role('edit'));
    assert.equal(result.operation, 'update');
    assert.equal(result.object.metadata.labels!['team'], 'a');
    assert.equal(
      result.object.metadata.labels!['rbac.authorization.k8s.io/aggregate-to-admin'],
      'true',
    );
    assert.equal(result.object.metadata.annotations!['note'], 'x');
  });

  it('leaves the rules of an aggregated role to the controller but restores its selectors', () => {
    const existing = stored(role('admin'));
    existing.rules = [resourceRule(['get'], [''], ['pods'])];
    assert.equal(reconcileRole(existing, role('admin')).operation, 'none');
    existing.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { other: 'true' } }] };
    const result = reconcileRole(existing, role('admin'));
    assert.equal(result.operation, 'update');
    assert.equal(result.object.aggregationRule!.clusterRoleSelectors.length, 2);
    assert.deepEqual(result.object.rules, existing.rules);
  });

  it('drops an aggregation rule the policy does not have', () => {
    const existing = stored(role('system:basic-user'));
    existing.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] };
    const result = reconcileRole(existing, role('system:basic-user'));
    assert.equal(result.operation, 'update');
    assert.equal(result.object.aggregationRule, undefined);
  });

  it('marks autoupdate=false objects protected', () => {
    const existing = stored(role('view'));
    existing.metadata.annotations = { [AUTOUPDATE_ANNOTATION]: 'false' };
    existing.aggregationRule = null;
    const result = reconcileRole(existing, role('view'));
    assert.notEqual(result.operation, 'none');
    assert.equal(result.protected, true);
  });
});

describe('binding reconciliation', () => {
  it('adds missing subjects and keeps extra ones', () => {
    const existing = stored(binding('system:public-info-viewer'));
    existing.subjects = [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }];
    const result = reconcileBinding(existing, binding('system:public-info-viewer'));
    assert.equal(result.operation, 'update');
    assert.deepEqual(
      result.object.subjects!.map((s) => s.name),
      ['bob', 'system:authenticated', 'system:unauthenticated'],
    );
  });

  it('recreates a binding whose roleRef differs', () => {
    const existing = stored(binding('cluster-admin'));
    existing.roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' };
    const result = reconcileBinding(existing, binding('cluster-admin'));
    assert.equal(result.operation, 'recreate');
    assert.equal(result.object.roleRef!.name, 'cluster-admin');
  });

  it('binds cluster-admin to system:masters', () => {
    assert.deepEqual(binding('cluster-admin').subjects, [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' },
    ]);
    assert.equal(
      reconcileBinding(stored(binding('cluster-admin')), binding('cluster-admin')).operation,
      'none',
    );
  });
});
