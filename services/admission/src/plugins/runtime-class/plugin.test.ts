import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { testAttributes } from '../builtin-support/index.js';
import { RuntimeClassPlugin } from './plugin.js';
import { mergeTolerations } from './tolerations.js';

const rc = (name: string, extra: Record<string, unknown>): KubeObject => ({
  apiVersion: 'node.k8s.io/v1',
  kind: 'RuntimeClass',
  metadata: { name },
  handler: 'runc',
  ...extra,
});

const CLASSES = [
  rc('kata', {
    overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
    scheduling: {
      nodeSelector: { runtime: 'kata' },
      tolerations: [{ key: 'kata', operator: 'Exists', effect: 'NoSchedule' }],
    },
  }),
  rc('plain', {}),
];

const pod = (spec: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'p', namespace: 'd' },
  spec: { containers: [{ name: 'c' }], ...spec },
});

async function run(p: KubeObject) {
  const plugin = new RuntimeClassPlugin({
    runtimeClasses: { get: async (name) => CLASSES.find((c) => c.metadata?.name === name) },
  });
  const ctx = { warnings: [], auditAnnotations: {} };
  try {
    await plugin.admit(testAttributes({ object: p }), ctx);
    await plugin.validate(testAttributes({ object: p }), ctx);
    return undefined;
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    return err;
  }
}

describe('RuntimeClass', () => {
  it('sets overhead, node selector and tolerations from the class', async () => {
    const p = pod({
      runtimeClassName: 'kata',
      nodeSelector: { zone: 'a' },
      tolerations: [{ key: 'x', operator: 'Exists' }],
    });
    assert.equal(await run(p), undefined);
    const spec = p.spec as Record<string, unknown>;
    assert.deepEqual(spec.overhead, { cpu: '250m', memory: '120Mi' });
    assert.deepEqual(spec.nodeSelector, { zone: 'a', runtime: 'kata' });
    assert.deepEqual(spec.tolerations, [
      { key: 'x', operator: 'Exists' },
      { key: 'kata', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });

  it('refuses an unknown class with kube message', async () => {
    const err = await run(pod({ runtimeClassName: 'gvisor' }));
    assert.equal(err?.code, 403);
    assert.equal(
      err?.message,
      'pods "p" is forbidden: pod rejected: RuntimeClass "gvisor" not found',
    );
  });

  it('refuses a node selector conflict', async () => {
    const err = await run(pod({ runtimeClassName: 'kata', nodeSelector: { runtime: 'runc' } }));
    assert.equal(
      err?.message,
      'pods "p" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[runtime] = kata; pod.spec.nodeSelector[runtime] = runc',
    );
  });

  it('accepts an equal overhead and refuses a different one', async () => {
    assert.equal(
      await run(pod({ runtimeClassName: 'kata', overhead: { cpu: '0.25', memory: '120Mi' } })),
      undefined,
    );
    const err = await run(pod({ runtimeClassName: 'kata', overhead: { cpu: '1' } }));
    assert.equal(
      err?.message,
      "pods \"p\" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead",
    );
  });

  it('refuses an overhead without a class that defines one', async () => {
    for (const spec of [
      { overhead: { cpu: '1' } },
      { runtimeClassName: 'plain', overhead: { cpu: '1' } },
    ]) {
      const err = await run(pod(spec));
      assert.equal(
        err?.message,
        'pods "p" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead',
      );
    }
  });

  it('leaves pods without a class alone', async () => {
    const p = pod({});
    assert.equal(await run(p), undefined);
    assert.deepEqual(p.spec, { containers: [{ name: 'c' }] });
  });
});

describe('mergeTolerations', () => {
  it('drops tolerations a wider one covers', () => {
    const all = { operator: 'Exists' };
    assert.deepEqual(mergeTolerations([{ key: 'a', operator: 'Exists' }], [all]), [all]);
    const timed = { key: 'n', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
    const shorter = { ...timed, tolerationSeconds: 60 };
    assert.deepEqual(mergeTolerations([shorter], [timed]), [timed]);
    assert.deepEqual(mergeTolerations([timed], [timed]), [timed]);
    const eq = { key: 'k', operator: 'Equal', value: 'v' };
    assert.deepEqual(
      mergeTolerations([eq], [{ key: 'k', operator: 'Equal', value: 'w' }]).length,
      2,
    );
  });
});
