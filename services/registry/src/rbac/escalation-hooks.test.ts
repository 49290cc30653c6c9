// Escalation prevention through the registry's gRPC surface, real etcd: which writes ask the
// checker (dryRun included), system:masters skipping it, and kube's 403 when refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '@splitplane/apimachinery';
import { call, createLogger, dial } from '@splitplane/kit';
import {
  type EscalationCheckRequest,
  RegistryClient,
  type RequestAttributes,
  type UserInfo,
} from '@splitplane/proto';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { startRegistry, type RunningRegistry } from '../registry.js';
import { onlyGcFieldsChanged } from './escalation-hooks.js';

const RBAC = 'rbac.authorization.k8s.io';
const bob: UserInfo = { username: 'bob', uid: '', groups: ['system:authenticated'], extra: {} };
const admin: UserInfo = {
  username: 'admin',
  uid: '',
  groups: ['system:masters', 'system:authenticated'],
  extra: {},
};
const REASON =
  'user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}';

describe('RBAC escalation prevention in the registry', () => {
  let etcd: EtcdHandle;
  let registry: RunningRegistry;
  let client: RegistryClient;
  const checks: EscalationCheckRequest[] = [];
  let allow = false;

  const attrs = (
    resource: string,
    namespace: string,
    user: UserInfo,
    extra: Partial<RequestAttributes> = {},
  ): RequestAttributes => ({
    user,
    resource: { group: RBAC, version: 'v1', resource },
    namespace,
    name: '',
    subresource: '',
    dryRun: false,
    fieldManager: '',
    fieldValidation: '',
    auditId: '',
    ...extra,
  });
  const role = (name: string, verbs = ['get']) => ({
    apiVersion: `${RBAC}/v1`,
    kind: 'Role',
    metadata: { name },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs }],
  });
  const create = (resource: string, ns: string, obj: unknown, user: UserInfo, dryRun = false) =>
    call(client, client.create, {
      attributes: attrs(resource, ns, user, { dryRun }),
      object: Buffer.from(JSON.stringify(obj)),
    });

  before(async () => {
    etcd = await startEtcd();
    registry = await startRegistry(
      {
        etcdServers: [etcd.endpoint],
        listenAddress: '127.0.0.1:0',
        escalationChecker: async (request) => {
          checks.push(request);
          return allow ? { allowed: true, reason: '' } : { allowed: false, reason: REASON };
        },
      },
      createLogger('escalation-test'),
    );
    client = dial(RegistryClient, `127.0.0.1:${registry.port}`);
  });
  after(async () => {
    client.close();
    await registry.stop();
    await etcd.stop();
  });

  it('refuses a Role the checker does not allow, with kube’s Forbidden Status', async () => {
    await assert.rejects(create('roles', 'default', role('r1'), bob), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.code, 403);
      assert.equal(err.reason, 'Forbidden');
      assert.equal(err.message, `roles.${RBAC} "r1" is forbidden: ${REASON}`);
      assert.deepEqual(err.status.details, { name: 'r1', group: RBAC, kind: 'roles' });
      return true;
    });
    const asked = checks.at(-1)!;
    assert.equal(asked.kind, 'Role');
    assert.equal(asked.namespace, 'default');
    assert.equal(asked.user?.username, 'bob');
    assert.equal(asked.operation, 'CREATE');
    assert.deepEqual(
      (JSON.parse(asked.object.toString('utf8')) as { rules: unknown }).rules,
      role('r1').rules,
    );
  });

  it('checks dryRun writes too', async () => {
    const n = checks.length;
    await assert.rejects(create('roles', 'default', role('r2'), bob, true), /forbidden/);
    assert.equal(checks.length, n + 1);
  });

  it('system:masters is never checked; an allowed answer lets the write through', async () => {
    const n = checks.length;
    await create('clusterroles', '', { ...role('cr1'), kind: 'ClusterRole' }, admin);
    assert.equal(checks.length, n);
    allow = true;
    try {
      const binding = {
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRoleBinding',
        metadata: { name: 'b1' },
        roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'cr1' },
        subjects: [{ kind: 'User', apiGroup: RBAC, name: 'carol' }],
      };
      await create('clusterrolebindings', '', binding, bob);
      assert.equal(checks.at(-1)!.kind, 'ClusterRoleBinding');
      assert.equal(checks.at(-1)!.namespace, '');
    } finally {
      allow = false;
    }
  });

  it('updates are checked unless only GC fields change', async () => {
    allow = true;
    const created = await create('roles', 'default', role('r3'), bob);
    allow = false;
    const stored = JSON.parse(created.object.toString('utf8')) as {
      metadata: Record<string, unknown>;
    };
    const n = checks.length;
    await assert.rejects(
      call(client, client.update, {
        attributes: { ...attrs('roles', 'default', bob), name: 'r3' },
        object: Buffer.from(
          JSON.stringify({ ...role('r3', ['get', 'list']), metadata: stored.metadata }),
        ),
      }),
      /forbidden/,
    );
    assert.equal(checks.length, n + 1);
    assert.equal(checks.at(-1)!.operation, 'UPDATE');
    await call(client, client.update, {
      attributes: { ...attrs('roles', 'default', bob), name: 'r3' },
      object: Buffer.from(
        JSON.stringify({ ...role('r3'), metadata: { ...stored.metadata, finalizers: ['x/y'] } }),
      ),
    });
    assert.equal(checks.length, n + 1);
  });

  it('onlyGcFieldsChanged ignores owner references and finalizers only', () => {
    const a = { apiVersion: 'v1', kind: 'Role', metadata: { name: 'x' }, rules: [] };
    assert.equal(
      onlyGcFieldsChanged({ ...a, metadata: { name: 'x', finalizers: ['f'] } }, a),
      true,
    );
    assert.equal(
      onlyGcFieldsChanged({ ...a, metadata: { name: 'x', labels: { a: 'b' } } }, a),
      false,
    );
    assert.equal(onlyGcFieldsChanged({ ...a, rules: [{ verbs: ['get'] }] }, a), false);
  });
});
