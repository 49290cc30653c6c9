import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, dial, startGrpcServer, HealthChecker, type GrpcServerHandle } from '@splitplane/kit';
import {
  AuthorizerClient,
  Decision,
  type AuthorizeRequest,
  type AuthorizeResponse,
} from '@splitplane/proto';
import { authorizerForModes, UnsupportedModeError } from './authorizer/index.js';
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

  it('refuses modes it does not implement', () => {
    assert.throws(() => authorizerForModes(['RBAC']), UnsupportedModeError);
  });
});
