import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@splitplane/scheme';
import { testAttributes } from '../builtin-support/index.js';
import { defaultTolerationSecondsOptionsFrom } from './factory.js';
import { DefaultTolerationSecondsPlugin } from './plugin.js';

const NOT_READY = {
  key: 'node.kubernetes.io/not-ready',
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 300,
};
const UNREACHABLE = { ...NOT_READY, key: 'node.kubernetes.io/unreachable' };

async function admit(
  tolerations: unknown[] | undefined,
  plugin = new DefaultTolerationSecondsPlugin(),
) {
  const pod: KubeObject = {
    metadata: { name: 'p', namespace: 'd' },
    spec: { containers: [{ name: 'c' }], ...(tolerations ? { tolerations } : {}) },
  };
  await plugin.admit(testAttributes({ object: pod }), { warnings: [], auditAnnotations: {} });
  return (pod.spec as { tolerations?: unknown[] }).tolerations;
}

describe('DefaultTolerationSeconds', () => {
  it('adds both tolerations to a pod with none', async () => {
    assert.deepEqual(await admit(undefined), [NOT_READY, UNREACHABLE]);
  });

  it('keeps existing ones and adds only what is not covered', async () => {
    const own = {
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 60,
    };
    assert.deepEqual(await admit([own]), [own, UNREACHABLE]);
    const other = { key: 'gpu', operator: 'Exists', effect: 'NoSchedule' };
    assert.deepEqual(await admit([other]), [other, NOT_READY, UNREACHABLE]);
  });

  it('treats an empty key or effect as covering', async () => {
    const all = { operator: 'Exists' };
    assert.deepEqual(await admit([all]), [all]);
    const anyEffect = { key: 'node.kubernetes.io/unreachable', operator: 'Exists' };
    assert.deepEqual(await admit([anyEffect]), [anyEffect, NOT_READY]);
  });

  it('uses the configured seconds', async () => {
    const plugin = new DefaultTolerationSecondsPlugin({
      notReadySeconds: 10,
      unreachableSeconds: 20,
    });
    const got = (await admit([], plugin)) as Array<{ tolerationSeconds: number }>;
    assert.deepEqual(
      got.map((t) => t.tolerationSeconds),
      [10, 20],
    );
  });

  it('ignores other resources and pod subresources', async () => {
    const plugin = new DefaultTolerationSecondsPlugin();
    const pod: KubeObject = { metadata: { name: 'p' }, spec: {} };
    const ctx = { warnings: [], auditAnnotations: {} };
    await plugin.admit(testAttributes({ object: pod, subresource: 'status' }), ctx);
    await plugin.admit(testAttributes({ object: pod, resource: 'podtemplates' }), ctx);
    assert.deepEqual(pod.spec, {});
  });
});

describe('DefaultTolerationSeconds configuration', () => {
  it('reads kube Configuration and keeps 300 s for what it omits', () => {
    assert.deepEqual(
      defaultTolerationSecondsOptionsFrom({
        apiVersion: 'defaulttolerationseconds.admission.k8s.io/v1alpha1',
        kind: 'Configuration',
        defaultTolerationSecondsConfig: { notReadyTolerationSeconds: 60 },
      }),
      { notReadySeconds: 60 },
    );
    assert.deepEqual(defaultTolerationSecondsOptionsFrom(undefined), {});
  });
});
