// Every write verb of the store calls a real admission service (admissionService over a
// recording plugin, reached over gRPC) the way kube-apiserver calls its chain: CREATE,
// UPDATE (PUT, patch, /status, /scale with the Scale itself), DELETE with the current object
// as oldObject and DeleteOptions, deletecollection once per item; with user, dryRun and
// options; and the audit annotations plugins add come back in the registry's WriteResponse.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '@splitplane/apimachinery';
import { call, dial, startGrpcServer, warningsOf } from '@splitplane/kit';
import { RegistryClient } from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import type { EtcdStorage } from '@splitplane/storage';
import { registryService } from '../server.js';
import { create } from './create.js';
import { deleteCollection } from './delete-collection.js';
import { deleteObject } from './delete.js';
import { patch } from './patch.js';
import type { Store } from './store.js';
import {
  CM,
  DEPLOY,
  QUOTA,
  type RecordingStore,
  attrs,
  brief,
  cm,
  json,
  startRecordingStore,
} from './testing/admission-recorder.js';
import { update } from './update.js';

describe('the store calls admission on every write path', () => {
  let rec: RecordingStore;
  let store: Store;
  let storage: EtcdStorage;
  const take = () => rec.take();

  before(async () => {
    rec = await startRecordingStore();
    ({ store, storage } = rec);
  });
  after(async () => {
    await rec?.stop();
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
      // A denial still carries the warnings recorded before it, in order.
      await assert.rejects(
        call(
          client,
          client.create,
          { attributes: attrs(CM, ''), object: cm('warn-then-deny') },
          {},
          'registry',
        ),
        (err: unknown) => {
          assert.ok(err instanceof StatusError, String(err));
          assert.equal(err.code, 403);
          assert.deepEqual(warningsOf(err), ['mutating warning', 'validating warning']);
          return true;
        },
      );
    } finally {
      client.close();
      await registry.stop();
    }
  });
});
