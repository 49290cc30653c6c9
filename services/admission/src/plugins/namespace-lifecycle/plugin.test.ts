import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { mapLister, testAttributes, type TestRequest } from '../builtin-support/index.js';
import { NamespaceLifecyclePlugin } from './plugin.js';

const ns = (name: string, phase = 'Active'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
  status: { phase },
});

function setup(cached: KubeObject[], live: KubeObject[] = cached) {
  const liveReads: string[] = [];
  const cache = mapLister(cached);
  const plugin = new NamespaceLifecyclePlugin({
    namespaces: cache,
    liveNamespace: async (name) => {
      liveReads.push(name);
      return live.find((n) => n.metadata?.name === name);
    },
    missingNamespaceWaitMs: 1,
  });
  const run = async (r: TestRequest) => {
    try {
      await plugin.admit(testAttributes(r), { warnings: [], auditAnnotations: {} });
      return undefined;
    } catch (err) {
      assert.ok(err instanceof StatusError, String(err));
      return err;
    }
  };
  return { plugin, run, liveReads, cache };
}

const pod = (namespace: string, name = 'p'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
});

describe('NamespaceLifecycle', () => {
  it('admits content in an active namespace without a live read', async () => {
    const { run, liveReads } = setup([ns('a')]);
    assert.equal(await run({ object: pod('a') }), undefined);
    assert.deepEqual(liveReads, []);
  });

  it('refuses a create in a missing namespace with kube 404 after a live read', async () => {
    const { run, liveReads } = setup([]);
    const err = await run({ object: pod('nope') });
    assert.equal(err?.code, 404);
    assert.equal(err?.status.reason, 'NotFound');
    assert.equal(err?.message, 'namespaces "nope" not found');
    assert.deepEqual(err?.status.details, { name: 'nope', group: '', kind: 'namespaces' });
    assert.deepEqual(liveReads, ['nope']);
  });

  it('admits a create the cache has not seen yet when the live read finds it', async () => {
    const { run } = setup([], [ns('fresh')]);
    assert.equal(await run({ object: pod('fresh') }), undefined);
  });

  it('refuses updates in a missing namespace too', async () => {
    const { run } = setup([]);
    const err = await run({ operation: 'UPDATE', object: pod('gone'), oldObject: pod('gone') });
    assert.equal(err?.code, 404);
  });

  it('refuses creates in a terminating namespace with kube message and cause', async () => {
    const { run } = setup([ns('t', 'Terminating')]);
    const err = await run({ object: pod('t', 'web') });
    assert.equal(err?.code, 403);
    assert.equal(err?.status.reason, 'Forbidden');
    assert.equal(
      err?.message,
      'pods "web" is forbidden: unable to create new content in namespace t because it is being terminated',
    );
    assert.deepEqual(err?.status.details?.causes, [
      {
        reason: 'NamespaceTerminating',
        message: 'namespace t is being terminated',
        field: 'metadata.namespace',
      },
    ]);
  });

  it('allows updates and deletes in a terminating namespace', async () => {
    const { run } = setup([ns('t', 'Terminating')]);
    assert.equal(
      await run({ operation: 'UPDATE', object: pod('t'), oldObject: pod('t') }),
      undefined,
    );
    assert.equal(await run({ operation: 'DELETE', namespace: 't', name: 'p' }), undefined);
  });

  it('names a generateName create "Unknown" as kube does', async () => {
    const { run } = setup([ns('t', 'Terminating')]);
    const err = await run({ object: { metadata: { generateName: 'x-', namespace: 't' } } });
    assert.match(err?.message ?? '', /^pods "Unknown" is forbidden: /);
  });

  it('forbids deleting the immortal namespaces', async () => {
    const { run } = setup([ns('default'), ns('kube-system'), ns('kube-public'), ns('other')]);
    for (const name of ['default', 'kube-system', 'kube-public']) {
      const err = await run({
        operation: 'DELETE',
        kind: 'Namespace',
        resource: 'namespaces',
        name,
        namespace: '',
      });
      assert.equal(err?.code, 403);
      assert.equal(
        err?.message,
        `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      );
    }
    const ok = await run({
      operation: 'DELETE',
      kind: 'Namespace',
      resource: 'namespaces',
      name: 'other',
      namespace: '',
    });
    assert.equal(ok, undefined);
  });

  it('skips namespaces themselves and cluster-scoped objects', async () => {
    const { run, liveReads } = setup([]);
    const nsReq = { kind: 'Namespace', resource: 'namespaces', namespace: '', object: ns('x') };
    assert.equal(await run(nsReq), undefined);
    const node = {
      kind: 'Node',
      resource: 'nodes',
      namespace: '',
      object: { metadata: { name: 'n' } },
    };
    assert.equal(await run(node), undefined);
    assert.deepEqual(liveReads, []);
  });

  it('skips local access reviews and deletes of content', async () => {
    const { run } = setup([]);
    const review = {
      group: 'authorization.k8s.io',
      resource: 'localsubjectaccessreviews',
      kind: 'LocalSubjectAccessReview',
      namespace: 'secret-plans',
      object: { metadata: { namespace: 'secret-plans' } },
    };
    assert.equal(await run(review), undefined);
    assert.equal(await run({ operation: 'DELETE', namespace: 'missing', name: 'p' }), undefined);
  });

  it('reads a namespace live after it was deleted, even while the cache says Active', async () => {
    const { run, liveReads } = setup([ns('d')], [ns('d', 'Terminating')]);
    assert.equal(await run({ object: pod('d') }), undefined);
    await run({
      operation: 'DELETE',
      kind: 'Namespace',
      resource: 'namespaces',
      name: 'd',
      namespace: '',
    });
    const err = await run({ object: pod('d') });
    assert.equal(err?.code, 403);
    assert.deepEqual(liveReads, ['d']);
  });

  it('answers a failing lookup with a 500', async () => {
    const plugin = new NamespaceLifecyclePlugin({
      namespaces: mapLister([]),
      liveNamespace: async () => {
        throw new Error('watch-cache unavailable');
      },
      missingNamespaceWaitMs: 1,
    });
    await assert.rejects(
      plugin.admit(testAttributes({ object: pod('a') }), { warnings: [], auditAnnotations: {} }),
      (err: StatusError) =>
        err.code === 500 && err.message === 'Internal error occurred: watch-cache unavailable',
    );
  });
});
