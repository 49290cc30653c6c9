// kube's default RBAC policy after `splitplane up`, read with kubectl: the bootstrap roles
// and bindings exist, admin/edit/view hold their aggregated rules, and a ClusterRole
// labelled aggregate-to-view shows up in view (and so in edit and admin) within seconds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@splitplane/testing';
import { parse } from 'yaml';
import { ok, startPlane, type Plane } from './plane.js';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}
interface ClusterRole {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  rules?: Rule[] | null;
  aggregationRule?: { clusterRoleSelectors: Array<{ matchLabels?: Record<string, string> }> };
}

let plane: Plane;

const clusterRole = async (name: string): Promise<ClusterRole> =>
  parse(await ok(plane.kubectl(['get', 'clusterrole', name, '-o', 'yaml']))) as ClusterRole;

const grants = (role: ClusterRole, group: string, resource: string, verb: string) =>
  (role.rules ?? []).some(
    (r) =>
      (r.apiGroups ?? []).includes(group) &&
      (r.resources ?? []).includes(resource) &&
      r.verbs.includes(verb),
  );

before(async () => {
  plane = await startPlane();
});

after(async () => {
  await plane?.stop();
});

describe('bootstrap RBAC policy', () => {
  it('creates the default cluster roles and bindings', async () => {
    const admin = await clusterRole('cluster-admin');
    assert.deepEqual(admin.rules, [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]);
    assert.equal(admin.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults');
    assert.equal(
      admin.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'],
      'true',
    );
    const binding = parse(
      await ok(plane.kubectl(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'yaml'])),
    ) as { subjects: unknown[] };
    assert.deepEqual(binding.subjects, [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' },
    ]);
    const names = await ok(plane.kubectl(['get', 'clusterroles', '-o', 'name']));
    for (const name of [
      'admin',
      'edit',
      'view',
      'system:basic-user',
      'system:discovery',
      'system:public-info-viewer',
      'system:monitoring',
      'system:auth-delegator',
    ]) {
      assert.match(names, new RegExp(`^clusterrole.rbac.authorization.k8s.io/${name}$`, 'm'));
    }
    await ok(
      plane.kubectl([
        'get',
        'role',
        '-n',
        'kube-system',
        'extension-apiserver-authentication-reader',
      ]),
    );
  });

  it('shows aggregated rules in admin', async () => {
    const admin = await waitFor(
      async () => {
        const role = await clusterRole('admin');
        return (role.rules ?? []).length > 0 ? role : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, message: 'admin has rules' },
    );
    assert.deepEqual(admin.aggregationRule, {
      clusterRoleSelectors: [
        { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } },
      ],
    });
    assert.ok(
      grants(admin, 'rbac.authorization.k8s.io', 'rolebindings', 'create'),
      'from aggregate-to-admin',
    );
    assert.ok(grants(admin, 'apps', 'deployments', 'update'), 'from edit');
    assert.ok(grants(admin, '', 'pods', 'list'), 'from view');
  });

  it('adds a ClusterRole labelled aggregate-to-view to view within seconds', async () => {
    await ok(
      plane.kubectl(
        ['apply', '-f', '-'],
        `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: widgets-view
  labels:
    rbac.authorization.k8s.io/aggregate-to-view: "true"
rules:
- apiGroups: ["example.com"]
  resources: ["widgets"]
  verbs: ["get", "list", "watch"]
`,
      ),
    );
    for (const name of ['view', 'edit', 'admin']) {
      await waitFor(
        async () => grants(await clusterRole(name), 'example.com', 'widgets', 'watch'),
        {
          timeoutMs: 15_000,
          intervalMs: 250,
          message: `${name} aggregates widgets-view`,
        },
      );
    }
  });
});
