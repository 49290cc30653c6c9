// Every write verb of the store calls a real admission service (admissionService over a
// recording plugin, reached over gRPC) the way kube-apiserver calls its chain: CREATE,
// UPDATE (PUT, patch, /status, /scale with the Scale itself), DELETE with the current object
// as oldObject and DeleteOptions, deletecollection once per item; with user, dryRun and
// options; and the audit annotations plugins add come back in the registry's WriteResponse.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '@splitplane/apimachinery';
import { admissionService, AdmissionChain, type Plugin } from '@splitplane/admission';
import { call, dial, startGrpcServer, type GrpcServerHandle } from '@splitplane/kit';
import { RegistryClient, type RequestAttributes } from '@splitplane/proto';
import { BUILTIN_RESOURCES, type KubeObject, Scheme } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { GrpcAdmission } from '../admission/grpc-admission.js';
import { ensureSystemNamespaces } from '../namespace-controller/system-namespaces.js';
import { registryService } from '../server.js';
import { strategyFor } from '../strategies/index.js';
import { connect } from './connect.js';
import { create } from './create.js';
import { deleteCollection } from './delete-collection.js';
import { deleteObject } from './delete.js';
import { patch } from './patch.js';
import { Store } from './store.js';
import { update } from './update.js';

interface Seen {
  phase: 'admit' | 'validate';
  operation: string;
  kind: string;
  resource: string;
  subresource: string;
  name: string;
  namespace: string;
  objectKind: string | undefined;
  oldKind: string | undefined;
  oldName: string | undefined;
  options: Record<string, unknown> | undefined;
  user: string;
  dryRun: boolean;
}

const seen: Seen[] = [];

/** Records every call; annotates the audit event; sets replicas 4 on a Scale named "mutate". */
const recorder: Plugin = {
  name: 'TestRecorder',
  handles: () => true,
  async admit(a, ctx) {
    seen.push(record('admit', a));
    ctx.auditAnnotations['test.example.com/admitted'] = a.operation;
    if (a.kind.kind === 'Scale' && a.name === 'mutate') {
      (a.object!['spec'] as { replicas: number }).replicas = 4;
    }
  },
  async validate(a, ctx) {
    seen.push(record('validate', a));
    ctx.auditAnnotations['test.example.com/validated'] = a.operation;
  },
};

function record(phase: Seen['phase'], a: Parameters<NonNullable<Plugin['admit']>>[0]): Seen {
  return {
    phase,
    operation: a.operation,
    kind: `${a.kind.group}/${a.kind.version}/${a.kind.kind}`,
    resource: a.resource.resource,
    subresource: a.subresource,
    name: a.name,
    namespace: a.namespace,
    objectKind: a.object?.kind,
    oldKind: a.oldObject?.kind,
    oldName: a.oldObject?.metadata?.name,
    options: a.options,
    user: a.user.username,
    dryRun: a.dryRun,
  };
}

function attrs(
  resource: { group: string; version: string; resource: string },
  name: string,
  extra: Partial<RequestAttributes> = {},
): RequestAttributes {
  return {
    user: { username: 'alice', uid: '', groups: ['system:authenticated'], extra: {} },
    resource,
    namespace: 'default',
    name,
    subresource: '',
    dryRun: false,
    fieldManager: '',
    fieldValidation: '',
    auditId: '',
    ...extra,
  };
}

const CM = { group: '', version: 'v1', resource: 'configmaps' };
const QUOTA = { group: '', version: 'v1', resource: 'resourcequotas' };
const DEPLOY = { group: 'apps', version: 'v1', resource: 'deployments' };
const PODS = { group: '', version: 'v1', resource: 'pods' };
const json = (o: unknown) => Buffer.from(JSON.stringify(o));
const cm = (name: string, labels: Record<string, string> = {}) =>
  json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { a: '1' } });
const brief = (s: Seen) =>
  `${s.phase} ${s.operation} ${s.resource}${s.subresource ? '/' + s.subresource : ''} ${s.name} object=${s.objectKind} old=${s.oldKind}`;

describe('the store calls admission on every write path', () => {
  let etcd: EtcdHandle;
  let storage: EtcdStorage;
  let server: GrpcServerHandle;
  let admission: GrpcAdmission;
  let store: Store;
  const scheme = new Scheme(BUILTIN_RESOURCES);
  const take = () => seen.splice(0, seen.length);

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    await ensureSystemNamespaces(new Store({ storage, scheme, strategyFor }));
    server = await startGrpcServer('127.0.0.1:0', [
      admissionService(new AdmissionChain([recorder])),
    ]);
    admission = new GrpcAdmission(`127.0.0.1:${server.port}`, { describeIntervalMs: 60_000 });
    await admission.start();
    store = new Store({ storage, scheme, strategyFor, admission });
  });
  after(async () => {
    admission?.close();
    await server?.stop();
    storage?.close();
    await etcd?.stop();
  });

  it('CREATE: both phases, CreateOptions, user; annotations on the context', async () => {
    take();
    const ctx = store.context(attrs(CM, '', { fieldManager: 'kubectl-client-side-apply' }));
    await create(store, ctx, cm('c1'));
    const calls = take();
    assert.deepEqual(calls.map(brief), [
      'admit CREATE configmaps c1 object=ConfigMap old=undefined',
      'validate CREATE configmaps c1 object=ConfigMap old=undefined',
    ]);
    assert.equal(calls[0]!.user, 'alice');
    assert.equal(calls[0]!.kind, '/v1/ConfigMap');
    assert.deepEqual(calls[0]!.options, {
      kind: 'CreateOptions',
      apiVersion: 'meta.k8s.io/v1',
      fieldManager: 'kubectl-client-side-apply',
    });
    assert.deepEqual(ctx.auditAnnotations, {
      'test.example.com/admitted': 'CREATE',
      'test.example.com/validated': 'CREATE',
    });
  });

  it('a generateName create is admitted without a name; a Namespace is its own namespace', async () => {
    take();
    const gen = json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    const made = await create(store, store.context(attrs(CM, '')), gen);
    assert.match(String((made.object['metadata'] as { name: string }).name), /^gen-/);
    assert.deepEqual(
      take().map((c) => [c.phase, c.name, c.namespace]),
      [
        ['admit', '', 'default'],
        ['validate', '', 'default'],
      ],
    );
    const NS = { group: '', version: 'v1', resource: 'namespaces' };
    await create(
      store,
      store.context(attrs(NS, '', { namespace: '' })),
      json({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }),
    );
    assert.deepEqual(
      take().map((c) => [c.phase, c.name, c.namespace]),
      [
        ['admit', 'team-a', 'team-a'],
        ['validate', 'team-a', 'team-a'],
      ],
    );
  });

  it('dryRun reaches admission as dryRun and options.dryRun [All]', async () => {
    take();
    await create(store, store.context(attrs(CM, '', { dryRun: true })), cm('dry'));
    const calls = take();
    assert.equal(calls.length, 2);
    for (const c of calls) {
      assert.equal(c.dryRun, true);
      assert.deepEqual(c.options?.['dryRun'], ['All']);
    }
  });

  it('UPDATE for PUT and PATCH, with the stored object as oldObject and UpdateOptions', async () => {
    const got = await create(store, store.context(attrs(CM, '')), cm('c2'));
    take();
    const rv = (got.object['metadata'] as { resourceVersion: string }).resourceVersion;
    const body = JSON.parse(cm('c2', { v: '2' }).toString()) as KubeObject;
    body.metadata!.resourceVersion = rv;
    await update(store, store.context(attrs(CM, 'c2')), json(body));
    await patch(
      store,
      store.context(attrs(CM, 'c2')),
      'application/merge-patch+json',
      json({ metadata: { labels: { v: '3' } } }),
    );
    const calls = take();
    assert.deepEqual(calls.map(brief), [
      'admit UPDATE configmaps c2 object=ConfigMap old=ConfigMap',
      'validate UPDATE configmaps c2 object=ConfigMap old=ConfigMap',
      'admit UPDATE configmaps c2 object=ConfigMap old=ConfigMap',
      'validate UPDATE configmaps c2 object=ConfigMap old=ConfigMap',
    ]);
    assert.deepEqual(calls[0]!.options, { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1' });
  });

  it('the status subresource: UPDATE with subresource "status"', async () => {
    const quota = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q' },
      spec: { hard: { pods: '10' } },
    };
    await create(store, store.context(attrs(QUOTA, '')), json(quota));
    take();
    await patch(
      store,
      store.context(attrs(QUOTA, 'q', { subresource: 'status' })),
      'application/merge-patch+json',
      json({ status: { hard: { pods: '10' }, used: { pods: '1' } } }),
    );
    assert.deepEqual(take().map(brief), [
      'admit UPDATE resourcequotas/status q object=ResourceQuota old=ResourceQuota',
      'validate UPDATE resourcequotas/status q object=ResourceQuota old=ResourceQuota',
    ]);
  });

  it('the scale subresource: admission sees autoscaling/v1 Scale, and its mutation lands', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'mutate' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'a' } },
        template: {
          metadata: { labels: { app: 'a' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    };
    await create(store, store.context(attrs(DEPLOY, '')), json(deployment));
    take();
    const res = await update(
      store,
      store.context(attrs(DEPLOY, 'mutate', { subresource: 'scale' })),
      json({
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'mutate' },
        spec: { replicas: 2 },
      }),
    );
    const calls = take();
    assert.deepEqual(calls.map(brief), [
      'admit UPDATE deployments/scale mutate object=Scale old=Scale',
      'validate UPDATE deployments/scale mutate object=Scale old=Scale',
    ]);
    assert.equal(calls[0]!.kind, 'autoscaling/v1/Scale');
    assert.equal((res.object['spec'] as { replicas: number }).replicas, 4);
    const stored = await storage.get(
      store.key(store.context(attrs(DEPLOY, 'mutate')).def, 'default', 'mutate'),
    );
    assert.equal((stored!.obj['spec'] as { replicas: number }).replicas, 4);
  });

  it('DELETE: no object, the current one as oldObject, DeleteOptions', async () => {
    await create(store, store.context(attrs(CM, '')), cm('c3'));
    take();
    await deleteObject(
      store,
      store.context(attrs(CM, 'c3', { dryRun: true })),
      json({ gracePeriodSeconds: 0 }),
    );
    await deleteObject(store, store.context(attrs(CM, 'c3')), Buffer.alloc(0));
    const calls = take();
    assert.deepEqual(calls.map(brief), [
      'admit DELETE configmaps c3 object=undefined old=ConfigMap',
      'validate DELETE configmaps c3 object=undefined old=ConfigMap',
      'admit DELETE configmaps c3 object=undefined old=ConfigMap',
      'validate DELETE configmaps c3 object=undefined old=ConfigMap',
    ]);
    assert.deepEqual(calls[0]!.options, {
      kind: 'DeleteOptions',
      apiVersion: 'meta.k8s.io/v1',
      gracePeriodSeconds: 0,
      dryRun: ['All'],
    });
    assert.equal(calls[0]!.dryRun, true);
    assert.deepEqual(calls[2]!.options, { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1' });
  });

  it('deletecollection: DELETE once per item, with the request’s empty name as kube', async () => {
    await create(store, store.context(attrs(CM, '')), cm('dc-1', { set: 'dc' }));
    await create(store, store.context(attrs(CM, '')), cm('dc-2', { set: 'dc' }));
    take();
    const ctx = store.context(attrs(CM, ''));
    await deleteCollection(store, ctx, Buffer.alloc(0), {
      labelSelector: 'set=dc',
      fieldSelector: '',
      resourceVersion: '',
      resourceVersionMatch: '',
      limit: '0',
      continue: '',
      allowWatchBookmarks: false,
      timeoutSeconds: '0',
    });
    const calls = take();
    assert.deepEqual(calls.map(brief).sort(), [
      'admit DELETE configmaps  object=undefined old=ConfigMap',
      'admit DELETE configmaps  object=undefined old=ConfigMap',
      'validate DELETE configmaps  object=undefined old=ConfigMap',
      'validate DELETE configmaps  object=undefined old=ConfigMap',
    ]);
    assert.deepEqual(calls.map((c) => c.oldName).sort(), ['dc-1', 'dc-1', 'dc-2', 'dc-2']);
    assert.equal(ctx.auditAnnotations['test.example.com/validated'], 'DELETE');
  });

  it('a webhook configuration needs a resourceVersion on PUT (kube’s AllowUnconditionalUpdate false)', async () => {
    const VWC = {
      group: 'admissionregistration.k8s.io',
      version: 'v1',
      resource: 'validatingwebhookconfigurations',
    };
    const vwc = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'unconditional' },
      webhooks: [],
    };
    await create(store, store.context(attrs(VWC, '')), json(vwc));
    await assert.rejects(
      update(store, store.context(attrs(VWC, 'unconditional')), json(vwc)),
      (err: unknown) => {
        assert.ok(err instanceof StatusError, String(err));
        assert.equal(err.code, 422);
        assert.match(
          err.message,
          /metadata.resourceVersion: Invalid value: "": must be specified for an update/,
        );
        return true;
      },
    );
  });

  it('CONNECT (pods/exec, attach, portforward): admission on the options, then kube’s answer', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'a', image: 'nginx' },
          { name: 'b', image: 'nginx' },
        ],
      },
    };
    await create(store, store.context(attrs(PODS, '')), json(pod));
    take();
    const rejects = (sub: string, options: unknown, code: number, message: string, name = 'p') =>
      assert.rejects(
        connect(store, store.context(attrs(PODS, name, { subresource: sub })), json(options)),
        (err: unknown) => {
          assert.ok(err instanceof StatusError, String(err));
          assert.deepEqual([err.code, err.message], [code, message]);
          return true;
        },
      );
    await rejects(
      'exec',
      { command: ['ls'], container: 'a', stdout: true },
      400,
      'pod p does not have a host assigned',
    );
    const calls = take();
    assert.deepEqual(calls.map(brief), [
      'admit CONNECT pods/exec p object=PodExecOptions old=undefined',
      'validate CONNECT pods/exec p object=PodExecOptions old=undefined',
    ]);
    assert.equal(calls[0]!.kind, '/v1/PodExecOptions');
    assert.equal(calls[0]!.options, undefined);
    await rejects('attach', { container: 'c' }, 400, 'container c is not valid for pod p');
    await rejects(
      'exec',
      { command: ['ls'] },
      400,
      'a container name must be specified for pod p, choose one of: [a b]',
    );
    await rejects('portforward', { ports: [80] }, 400, 'pod p does not have a host assigned');
    await rejects('exec', { command: ['ls'] }, 404, 'pods "missing" not found', 'missing');
    assert.deepEqual(
      take()
        .filter((c) => c.phase === 'admit')
        .map((c) => `${c.subresource} ${c.objectKind}`),
      [
        'attach PodAttachOptions',
        'exec PodExecOptions',
        'portforward PodPortForwardOptions',
        'exec PodExecOptions',
      ],
    );
  });

  it('the registry gRPC service carries audit annotations in its write and deletecollection responses', async () => {
    const registry = await startGrpcServer('127.0.0.1:0', [registryService(store)]);
    const client = dial(RegistryClient, `127.0.0.1:${registry.port}`);
    try {
      const res = await call(
        client,
        client.create,
        { attributes: attrs(CM, ''), object: cm('over-grpc') },
        {},
        'registry',
      );
      assert.equal(res.code, 201);
      assert.deepEqual(res.auditAnnotations, {
        'test.example.com/admitted': 'CREATE',
        'test.example.com/validated': 'CREATE',
      });
      const gone = await call(
        client,
        client.deleteCollection,
        {
          attributes: attrs(CM, ''),
          options: Buffer.alloc(0),
          listOptions: {
            labelSelector: '',
            fieldSelector: 'metadata.name=over-grpc',
            resourceVersion: '',
            resourceVersionMatch: '',
            limit: '0',
            continue: '',
            allowWatchBookmarks: false,
            timeoutSeconds: '0',
          },
        },
        {},
        'registry',
      );
      assert.equal(gone.items.length, 1);
      assert.deepEqual(gone.auditAnnotations, {
        'test.example.com/admitted': 'DELETE',
        'test.example.com/validated': 'DELETE',
      });
    } finally {
      client.close();
      await registry.stop();
    }
  });
});
