import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, status as GrpcCode, type ServiceError } from '@grpc/grpc-js';
import { newConflict, newNotFound, StatusError } from '@splitplane/apimachinery';
import { AuthorizerClient, type AuthorizeRequest } from '@splitplane/proto';
import { call, dial } from './grpc-client.js';
import {
  fromGrpcError,
  STATUS_METADATA_KEY,
  toGrpcError,
  warningsOf,
  withWarnings,
} from './grpc-status.js';
import { freePort } from './process/index.js';

function asServiceError(payload: ReturnType<typeof toGrpcError>): ServiceError {
  return Object.assign(new Error(payload.details), payload) as ServiceError;
}

describe('Status over gRPC', () => {
  it('carries a StatusError across unchanged, with a matching gRPC code', () => {
    const original = newNotFound({ group: 'apps', resource: 'deployments' }, 'web');
    const payload = toGrpcError(original);
    assert.equal(payload.code, GrpcCode.NOT_FOUND);
    assert.ok(payload.metadata.get(STATUS_METADATA_KEY).length === 1);
    const back = fromGrpcError(asServiceError(payload));
    assert.deepEqual(back.status, original.status);
    assert.equal(
      toGrpcError(newConflict({ group: '', resource: 'pods' }, 'p', 'x')).code,
      GrpcCode.ALREADY_EXISTS,
    );
  });

  it('carries the warnings recorded before a failure along with it', () => {
    const denied = withWarnings(newNotFound({ group: '', resource: 'pods' }, 'p'), ['first']);
    withWarnings(denied, ['second']);
    const back = fromGrpcError(asServiceError(toGrpcError(denied)));
    assert.deepEqual(warningsOf(back), ['first', 'second']);
    assert.deepEqual(back.status, denied.status);
    assert.deepEqual(warningsOf(fromGrpcError(asServiceError(toGrpcError(new Error('x'))))), []);
    assert.deepEqual(warningsOf(undefined), []);
  });

  it('turns anything that is not a StatusError into a 500 InternalError', () => {
    const back = fromGrpcError(asServiceError(toGrpcError(new TypeError('boom'))));
    assert.equal(back.code, 500);
    assert.equal(back.status.reason, 'InternalError');
    assert.equal(back.message, 'Internal error occurred: boom');
  });

  it('maps bare gRPC codes when no Status rides along', () => {
    const bare = (code: GrpcCode) =>
      fromGrpcError(
        Object.assign(new Error('x'), {
          code,
          details: 'x',
          metadata: new Metadata(),
        }) as ServiceError,
        'registry',
      );
    assert.equal(bare(GrpcCode.DEADLINE_EXCEEDED).code, 504);
    assert.equal(bare(GrpcCode.DEADLINE_EXCEEDED).status.reason, 'Timeout');
    assert.equal(
      bare(GrpcCode.DEADLINE_EXCEEDED).message,
      'Timeout: request did not complete within requested timeout - context deadline exceeded',
    );
    assert.equal(bare(GrpcCode.UNKNOWN).code, 500);
  });

  it('answers 503 for an unreachable service without exposing its address', async () => {
    const port = await freePort();
    const client = dial(AuthorizerClient, `127.0.0.1:${port}`);
    const request = { verb: 'get', resourceRequest: false, path: '/' } as AuthorizeRequest;
    try {
      await assert.rejects(
        call(client, client.authorize, request, { deadline: new Date(Date.now() + 5000) }, 'authz'),
        (err: unknown) => {
          assert.ok(err instanceof StatusError);
          assert.equal(err.code, 503);
          assert.equal(err.status.reason, 'ServiceUnavailable');
          assert.equal(
            err.message,
            'the server is currently unable to handle the request (authz is unavailable)',
          );
          assert.doesNotMatch(JSON.stringify(err.status), new RegExp(String(port)));
          return true;
        },
      );
    } finally {
      client.close();
    }
  });
});
