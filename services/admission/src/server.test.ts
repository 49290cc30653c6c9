import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newForbidden, StatusError } from '@splitplane/apimachinery';
import { call, dial, startGrpcServer, warningsOf, type GrpcServerHandle } from '@splitplane/kit';
import { AdmissionClient, type AdmissionRequest } from '@splitplane/proto';
import { AdmissionChain, type Plugin } from './chain/index.js';
import { admissionService } from './server.js';

// A real plugin written for the test: labels what it admits, forbids names starting "bad".
const labeller: Plugin = {
  name: 'TestLabeller',
  handles: (op) => op === 'CREATE',
  async admit(attributes) {
    const metadata = (attributes.object!.metadata ??= {});
    metadata.labels = { ...metadata.labels, admitted: 'yes' };
  },
  async validate(attributes) {
    if (attributes.name.startsWith('bad')) {
      throw newForbidden(
        { group: '', resource: 'configmaps' },
        attributes.name,
        'names starting with bad are refused',
      );
    }
  },
};

function request(name: string, operation = 'CREATE'): AdmissionRequest {
  return {
    uid: 'u1',
    kind: { group: '', version: 'v1', kind: 'ConfigMap' },
    resource: { group: '', version: 'v1', resource: 'configmaps' },
    subresource: '',
    name,
    namespace: 'default',
    operation,
    user: { username: 'alice', uid: '', groups: [], extra: {} },
    object: Buffer.from(
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }),
    ),
    oldObject: Buffer.alloc(0),
    dryRun: false,
    options: Buffer.alloc(0),
  };
}

describe('admission over gRPC', () => {
  let server: GrpcServerHandle;
  let client: InstanceType<typeof AdmissionClient>;
  before(async () => {
    server = await startGrpcServer('127.0.0.1:0', [
      admissionService(new AdmissionChain([labeller])),
    ]);
    client = dial(AdmissionClient, `127.0.0.1:${server.port}`);
  });
  after(async () => {
    client.close();
    await server.stop();
  });

  it('returns the mutated object from admit', async () => {
    const response = await call(client, client.admit, request('good'));
    const object = JSON.parse(Buffer.from(response.object).toString());
    assert.deepEqual(object.metadata.labels, { admitted: 'yes' });
  });

  it('returns no object when nothing changed', async () => {
    const response = await call(client, client.admit, request('good', 'DELETE'));
    assert.equal(response.object.length, 0);
  });

  it('carries a plugin denial back as the same Status', async () => {
    await assert.rejects(call(client, client.validate, request('bad-one')), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.code, 403);
      assert.equal(err.status.reason, 'Forbidden');
      assert.equal(
        err.message,
        'configmaps "bad-one" is forbidden: names starting with bad are refused',
      );
      return true;
    });
  });

  it('answers 400 for an unknown operation', async () => {
    await assert.rejects(call(client, client.admit, request('x', 'FROB')), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.code, 400);
      return true;
    });
  });

  it('describes the chain: per plugin its phases and operations, and a generation', async () => {
    const described = await call(client, client.describe, {});
    assert.deepEqual(described.plugins, [
      { name: 'TestLabeller', mutating: true, validating: true, operations: ['CREATE'] },
    ]);
    assert.match(described.generation, /^[0-9a-f]{16}$/);
    assert.equal(described.generation, new AdmissionChain([labeller]).describe().generation);
    assert.notEqual(described.generation, new AdmissionChain([]).describe().generation);
    const validateOnly: Plugin = {
      name: 'V',
      handles: (op) => op !== 'CONNECT',
      validate: async () => undefined,
    };
    assert.deepEqual(new AdmissionChain([validateOnly]).describe().plugins, [
      { name: 'V', mutating: false, validating: true, operations: ['CREATE', 'UPDATE', 'DELETE'] },
    ]);
  });
});

describe('admission over gRPC: warnings, audit annotations, readiness', () => {
  const annotator: Plugin = {
    name: 'TestAnnotator',
    handles: () => true,
    async validate(_attributes, context) {
      context.warnings.push('careful');
      context.auditAnnotations['test.k8s.io/seen'] = 'yes';
    },
  };

  it('returns the warnings and audit annotations plugins add', async () => {
    const server = await startGrpcServer('127.0.0.1:0', [
      admissionService(new AdmissionChain([annotator])),
    ]);
    const client = dial(AdmissionClient, `127.0.0.1:${server.port}`);
    try {
      const response = await call(client, client.validate, request('good'));
      assert.deepEqual(response.warnings, ['careful']);
      assert.deepEqual(response.auditAnnotations, { 'test.k8s.io/seen': 'yes' });
    } finally {
      client.close();
      await server.stop();
    }
  });

  it('waits for readiness, and refuses as kube does when it does not come in time', async () => {
    let release!: () => void;
    const ready = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = await startGrpcServer('127.0.0.1:0', [
      admissionService(new AdmissionChain([annotator]), { ready, readyTimeoutMs: 50 }),
    ]);
    const client = dial(AdmissionClient, `127.0.0.1:${server.port}`);
    try {
      await assert.rejects(call(client, client.validate, request('early')), (err: unknown) => {
        assert.ok(err instanceof StatusError);
        assert.equal(err.code, 403);
        assert.equal(
          err.message,
          'configmaps "early" is forbidden: not yet ready to handle request',
        );
        return true;
      });
      const pending = call(client, client.validate, request('later'));
      release();
      assert.deepEqual((await pending).warnings, ['careful']);
    } finally {
      client.close();
      await server.stop();
    }
  });
});

describe('admission over gRPC: a denial keeps earlier warnings', () => {
  it('sends the warnings recorded before the denial with the error', async () => {
    const warner: Plugin = {
      name: 'Warner',
      handles: () => true,
      async validate(_a, context) {
        context.warnings.push('heads up');
      },
    };
    const server = await startGrpcServer('127.0.0.1:0', [
      admissionService(new AdmissionChain([warner, labeller])),
    ]);
    const client = dial(AdmissionClient, `127.0.0.1:${server.port}`);
    try {
      await assert.rejects(call(client, client.validate, request('bad-x')), (err: unknown) => {
        assert.ok(err instanceof StatusError);
        assert.equal(err.code, 403);
        assert.deepEqual(warningsOf(err), ['heads up']);
        return true;
      });
    } finally {
      client.close();
      await server.stop();
    }
  });
});
