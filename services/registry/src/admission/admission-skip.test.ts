// The store skips admission phases that no plugin handles, learning the chain from the real
// admission service's Describe; with a plugin the calls happen, and without a description
// (admission down) nothing is skipped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { sendUnaryData, ServerUnaryCall, UntypedHandleCall } from '@grpc/grpc-js';
import { admissionService, AdmissionChain, type Plugin } from '@splitplane/admission';
import { StatusError } from '@splitplane/apimachinery';
import { startGrpcServer, type GrpcServerHandle } from '@splitplane/kit';
import type { RequestAttributes } from '@splitplane/proto';
import { BUILTIN_RESOURCES, Scheme } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { ensureSystemNamespaces } from '../namespace-controller/system-namespaces.js';
import { strategyFor } from '../strategies/index.js';
import { create } from '../store/create.js';
import { Store } from '../store/store.js';
import { update } from '../store/update.js';
import { GrpcAdmission } from './grpc-admission.js';

type Counts = { admit: number; validate: number; describe: number };

/** A real admission service over `chain`, counting the calls it receives. */
async function countingAdmission(
  chain: AdmissionChain,
): Promise<{ server: GrpcServerHandle; counts: Counts }> {
  const registration = admissionService(chain);
  const counts: Counts = { admit: 0, validate: 0, describe: 0 };
  const counted: Record<string, UntypedHandleCall> = {};
  for (const method of ['admit', 'validate', 'describe'] as const) {
    const handler = registration.implementation[method] as (
      call: ServerUnaryCall<unknown, unknown>,
      cb: sendUnaryData<unknown>,
    ) => void;
    counted[method] = (call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => {
      counts[method]++;
      handler(call, cb);
    };
  }
  const server = await startGrpcServer('127.0.0.1:0', [
    { ...registration, implementation: counted },
  ]);
  return { server, counts };
}

/** Labels what it admits on CREATE and refuses names starting "bad". */
const labeller: Plugin = {
  name: 'TestLabeller',
  handles: (op) => op === 'CREATE',
  async admit(attributes) {
    const metadata = (attributes.object!.metadata ??= {});
    metadata.labels = { ...metadata.labels, admitted: 'yes' };
  },
  async validate(attributes) {
    if (attributes.name.startsWith('bad'))
      throw new Error('unexpected: the store must not send this');
  },
};

/** Only validates, and only UPDATE. */
const updateValidator: Plugin = {
  name: 'TestUpdateValidator',
  handles: (op) => op === 'UPDATE',
  async validate() {},
};

function attrs(name: string): RequestAttributes {
  return {
    user: { username: 'alice', uid: '', groups: ['system:authenticated'], extra: {} },
    resource: { group: '', version: 'v1', resource: 'configmaps' },
    namespace: 'default',
    name,
    subresource: '',
    dryRun: false,
    fieldManager: '',
    fieldValidation: '',
    auditId: '',
  };
}

const body = (name: string, data: Record<string, string> = {}) =>
  Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data }));

describe('admission phases no plugin handles are skipped', () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;
  const scheme = new Scheme(BUILTIN_RESOURCES);
  const cleanup: Array<() => unknown> = [];

  /** A store whose admission is a real admission service over `plugins`. */
  async function storeWith(plugins: Plugin[]) {
    const { server, counts } = await countingAdmission(new AdmissionChain(plugins));
    const admission = new GrpcAdmission(`127.0.0.1:${server.port}`, { describeIntervalMs: 60_000 });
    await admission.start();
    cleanup.push(
      () => admission.close(),
      () => server.stop(),
    );
    const store = new Store({ storage, scheme, strategyFor, admission });
    const createCm = (name: string, data?: Record<string, string>) =>
      create(store, store.context(attrs(name)), body(name, data));
    const updateCm = (name: string, data?: Record<string, string>) =>
      update(store, store.context(attrs(name)), body(name, data));
    return { server, counts, admission, createCm, updateCm };
  }

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    await ensureSystemNamespaces(new Store({ storage, scheme, strategyFor }));
  });
  after(async () => {
    for (const step of cleanup.reverse()) await step();
    storage?.close();
    await etcd?.stop();
  });

  it('an empty chain: no Admit or Validate call for create or update', async () => {
    const { counts, admission, createCm, updateCm } = await storeWith([]);
    assert.equal(counts.describe, 1);
    assert.equal(admission.generation, new AdmissionChain([]).describe().generation);
    const created = await createCm('empty-1', { a: '1' });
    assert.equal(created.code, 201);
    await updateCm('empty-1', { a: '2' });
    assert.deepEqual({ admit: counts.admit, validate: counts.validate }, { admit: 0, validate: 0 });
  });

  it('a plugin that handles the operation is called in the phases it has', async () => {
    const { counts, createCm, updateCm } = await storeWith([labeller, updateValidator]);
    const created = await createCm('plugged-1');
    assert.equal(
      (created.object.metadata as { labels?: Record<string, string> }).labels?.admitted,
      'yes',
    );
    assert.deepEqual({ admit: counts.admit, validate: counts.validate }, { admit: 1, validate: 1 });
    // UPDATE: no mutating plugin handles it, one validating plugin does.
    await updateCm('plugged-1', { a: '2' });
    assert.deepEqual({ admit: counts.admit, validate: counts.validate }, { admit: 1, validate: 2 });
  });

  it('without a description (admission down) nothing is skipped, and the write fails as before', async () => {
    const { server, counts, admission, createCm } = await storeWith([]);
    await createCm('down-1');
    assert.deepEqual({ admit: counts.admit, validate: counts.validate }, { admit: 0, validate: 0 });
    await server.stop();
    await admission.refresh();
    assert.equal(admission.generation, undefined);
    assert.equal(admission.needs('admit', 'CREATE'), true);
    await assert.rejects(createCm('down-2'), (err: unknown) => {
      assert.ok(err instanceof StatusError, String(err));
      assert.equal(err.code, 503);
      return true;
    });
  });

  it('an admission service that cannot describe itself gets every call', async () => {
    const admission = new GrpcAdmission('127.0.0.1:1', { describeIntervalMs: 60_000 });
    cleanup.push(() => admission.close());
    await admission.start();
    assert.equal(admission.needs('validate', 'DELETE'), true);
  });
});
