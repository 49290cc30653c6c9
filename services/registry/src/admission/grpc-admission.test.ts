// The admission client against a real in-process Admission gRPC server: mutations replace
// the object, validation failures abort the write, and the call carries the request deadline.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newForbidden, StatusError } from '@splitplane/apimachinery';
import { startGrpcServer, unary, type GrpcServerHandle } from '@splitplane/kit';
import { AdmissionService, type AdmissionServer, type AdmissionRequest } from '@splitplane/proto';
import { BUILTIN_RESOURCES } from '@splitplane/scheme';
import { GrpcAdmission } from './grpc-admission.js';

describe('GrpcAdmission', () => {
  let server: GrpcServerHandle;
  let admission: GrpcAdmission;
  const seen: Array<{ req: AdmissionRequest; deadline: unknown }> = [];
  const def = BUILTIN_RESOURCES.find((d) => d.plural === 'configmaps')!;

  before(async () => {
    const impl: AdmissionServer = {
      admit: unary(async (req, call) => {
        seen.push({ req, deadline: call.getDeadline() });
        const obj = JSON.parse(req.object.toString()) as {
          metadata: { labels?: Record<string, string> };
        };
        obj.metadata.labels = { ...obj.metadata.labels, admitted: 'yes' };
        return {
          object: Buffer.from(JSON.stringify(obj)),
          warnings: ['mutated'],
          auditAnnotations: {},
        };
      }),
      validate: unary(async (req) => {
        if (req.name === 'forbidden')
          throw newForbidden({ group: '', resource: 'configmaps' }, req.name, 'denied by test');
        return { object: Buffer.alloc(0), warnings: [], auditAnnotations: {} };
      }),
      describe: unary(async () => ({
        generation: 'g1',
        plugins: [{ name: 'Test', mutating: true, validating: false, operations: ['CREATE'] }],
      })),
    };
    server = await startGrpcServer('127.0.0.1:0', [
      { definition: AdmissionService, implementation: impl, name: 'splitplane.v1.Admission' },
    ]);
    admission = new GrpcAdmission(`127.0.0.1:${server.port}`);
  });
  after(async () => {
    admission?.close();
    await server?.stop();
  });

  it('returns the mutated object and warnings, with the deadline propagated', async () => {
    const deadline = new Date(Date.now() + 5_000);
    const res = await admission.admit({
      operation: 'CREATE',
      def,
      subresource: '',
      name: 'a',
      namespace: 'default',
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
      dryRun: true,
      deadline,
    });
    assert.equal(res.object?.metadata?.labels?.admitted, 'yes');
    assert.deepEqual(res.warnings, ['mutated']);
    const last = seen.at(-1)!;
    assert.equal(last.req.operation, 'CREATE');
    assert.equal(last.req.dryRun, true);
    assert.deepEqual(last.req.resource, { group: '', version: 'v1', resource: 'configmaps' });
    const got = last.deadline instanceof Date ? last.deadline.getTime() : Number(last.deadline);
    assert.ok(
      Number.isFinite(got) && Math.abs(got - deadline.getTime()) < 1000,
      String(last.deadline),
    );
  });

  it('describes the chain: phases without a plugin for the operation are not needed', async () => {
    await admission.refresh();
    assert.equal(admission.generation, 'g1');
    assert.equal(admission.needs('admit', 'CREATE'), true);
    assert.equal(admission.needs('admit', 'UPDATE'), false);
    assert.equal(admission.needs('validate', 'CREATE'), false);
  });

  it('a validation failure is the admission Status', async () => {
    await assert.rejects(
      admission.validate({
        operation: 'CREATE',
        def,
        subresource: '',
        name: 'forbidden',
        namespace: 'default',
        dryRun: false,
      }),
      (err: unknown) =>
        err instanceof StatusError && err.code === 403 && /denied by test/.test(err.message),
    );
  });
});
