import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, dial, startGrpcServer, HealthChecker, type GrpcServerHandle } from '@splitplane/kit';
import {
  AuthorizerClient,
  Decision,
  type AuthorizeRequest,
  type AuthorizeResponse,
} from '@splitplane/proto';
import {
  authorizerChain,
  authorizerForModes,
  ModeConfigurationError,
  UnsupportedModeError,
} from './authorizer/index.js';
import { staticRbacView } from './rbac/index.js';
import { authorizerService } from './server.js';

const request: AuthorizeRequest = {
  user: { username: 'alice', uid: '', groups: ['system:authenticated'], extra: {} },
  verb: 'list',
  resourceRequest: true,
  path: '/api/v1/namespaces/default/pods',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'pods',
  subresource: '',
  namespace: 'default',
  name: '',
};

async function decide(server: GrpcServerHandle): Promise<AuthorizeResponse> {
  const client = dial(AuthorizerClient, `127.0.0.1:${server.port}`);
  try {
    return await call(client, client.authorize, request);
  } finally {
    client.close();
  }
}

describe('authz over gRPC', () => {
  let allow: GrpcServerHandle;
  let deny: GrpcServerHandle;
  before(async () => {
    allow = await startGrpcServer('127.0.0.1:0', [
      authorizerService(authorizerForModes(['AlwaysAllow'])),
    ]);
    deny = await startGrpcServer('127.0.0.1:0', [
      authorizerService(authorizerForModes(['AlwaysDeny', 'AlwaysAllow'])),
    ]);
  });
  after(async () => {
    await allow.stop();
    await deny.stop();
  });

  it('allows in AlwaysAllow mode', async () => {
    assert.equal((await decide(allow)).decision, Decision.DECISION_ALLOW);
  });

  it('stops at the first decisive mode', async () => {
    const response = await decide(deny);
    assert.equal(response.decision, Decision.DECISION_DENY);
    assert.equal(response.reason, 'Everything is forbidden.');
  });

  it('reports SERVING over grpc.health.v1', async () => {
    const checker = new HealthChecker(`127.0.0.1:${allow.port}`);
    assert.equal(await checker.check('splitplane.v1.Authorizer'), true);
    checker.close();
  });

  it('refuses modes it does not implement, and modes missing their inputs', () => {
    assert.throws(() => authorizerForModes(['Node']), UnsupportedModeError);
    assert.throws(() => authorizerForModes(['RBAC']), ModeConfigurationError);
    assert.throws(() => authorizerForModes(['Webhook']), ModeConfigurationError);
  });

  it('lets system:masters through before any mode, as kube-apiserver does', async () => {
    const chain = authorizerChain(['AlwaysDeny']);
    const result = await chain.authorizer.authorize({
      ...request,
      user: { username: 'root', uid: '', groups: ['system:masters'], extra: {} },
    });
    assert.equal(result.decision, 'Allow');
  });
});

describe('authz RulesReview and ConfirmNoEscalation over gRPC', () => {
  const view = staticRbacView({
    clusterRoles: [
      {
        metadata: { name: 'view-pods' },
        rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      },
    ],
    roleBindings: [
      {
        metadata: { name: 'b', namespace: 'ns1' },
        roleRef: { kind: 'ClusterRole', name: 'view-pods' },
        subjects: [{ kind: 'Group', name: 'devs' }],
      },
    ],
  });
  let server: GrpcServerHandle;
  let client: AuthorizerClient;
  before(async () => {
    const chain = authorizerChain(['RBAC', 'AlwaysDeny'], { rbac: view });
    server = await startGrpcServer('127.0.0.1:0', [
      authorizerService(chain.authorizer, { rules: chain.rules, rbac: view }),
    ]);
    client = dial(AuthorizerClient, `127.0.0.1:${server.port}`);
  });
  after(async () => {
    client.close();
    await server.stop();
  });
  const dev = { username: 'dana', uid: '', groups: ['devs'], extra: {} };

  it('enumerates the rules of the namespace', async () => {
    const r = await call(client, client.rulesReview, { user: dev, namespace: 'ns1' });
    assert.deepEqual(r.resourceRules, [
      { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [] },
    ]);
    assert.equal(r.incomplete, false);
    const other = await call(client, client.rulesReview, { user: dev, namespace: 'ns2' });
    assert.deepEqual(other.resourceRules, []);
  });

  it("answers escalation checks with kube's reason", async () => {
    const role = (verbs: string[]) =>
      Buffer.from(
        JSON.stringify({
          metadata: { name: 'r', namespace: 'ns1' },
          rules: [{ verbs, apiGroups: [''], resources: ['pods'] }],
        }),
      );
    const ok = await call(client, client.confirmNoEscalation, {
      user: dev,
      kind: 'Role',
      namespace: 'ns1',
      object: role(['get']),
      operation: 'CREATE',
    });
    assert.deepEqual(ok, { allowed: true, reason: '' });
    const no = await call(client, client.confirmNoEscalation, {
      user: dev,
      kind: 'Role',
      namespace: 'ns1',
      object: role(['get', 'delete']),
      operation: 'UPDATE',
    });
    assert.equal(no.allowed, false);
    assert.equal(
      no.reason,
      'user "dana" (groups=["devs"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
    );
    await assert.rejects(
      call(client, client.confirmNoEscalation, {
        user: dev,
        kind: 'Role',
        namespace: 'ns1',
        object: Buffer.from('{'),
        operation: 'CREATE',
      }),
      (err: { code?: number; message?: string }) =>
        err.code === 400 && /not valid JSON/.test(err.message ?? ''),
    );
  });
});
