import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { mapLister, testAttributes, type TestRequest } from '../builtin-support/index.js';
import { ServiceAccountPlugin } from './plugin.js';
import { generateName } from './token-volume.js';

const sa = (
  name: string,
  extra: Record<string, unknown> = {},
  annotations?: Record<string, string>,
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'd', ...(annotations ? { annotations } : {}) },
  ...extra,
});

const pod = (
  spec: Record<string, unknown> = {},
  annotations?: Record<string, string>,
): KubeObject => ({
  metadata: { name: 'p', namespace: 'd', ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

const VOLUME = {
  name: 'kube-api-access-abcde',
  projected: {
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [
            { path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
          ],
        },
      },
    ],
    defaultMode: 420,
  },
};
const MOUNT = {
  name: 'kube-api-access-abcde',
  readOnly: true,
  mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
};

async function run(accounts: KubeObject[], r: TestRequest, phase: 'admit' | 'validate' = 'admit') {
  const plugin = new ServiceAccountPlugin({
    serviceAccounts: mapLister(accounts),
    generateName: (prefix) => `${prefix}abcde`,
  });
  try {
    await plugin[phase](testAttributes(r), { warnings: [], auditAnnotations: {} });
    return undefined;
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    return err;
  }
}

const specOf = (p: KubeObject) => p.spec as Record<string, any>;

describe('ServiceAccount', () => {
  it('defaults the name and mounts the projected token in every container', async () => {
    const p = pod({ initContainers: [{ name: 'i', image: 'busybox' }] });
    assert.equal(await run([sa('default')], { object: p }), undefined);
    const spec = specOf(p);
    assert.equal(spec.serviceAccountName, 'default');
    assert.deepEqual(spec.volumes, [VOLUME]);
    assert.deepEqual(spec.containers[0].volumeMounts, [MOUNT]);
    assert.deepEqual(spec.initContainers[0].volumeMounts, [MOUNT]);
  });

  it('refuses a pod whose service account does not exist, in kube words', async () => {
    const err = await run([], { object: pod({ serviceAccountName: 'robot' }) });
    assert.equal(err?.code, 403);
    assert.equal(
      err?.message,
      'pods "p" is forbidden: error looking up service account d/robot: serviceaccount "robot" not found',
    );
    const def = await run([], { object: pod() });
    assert.equal(
      def?.message,
      'pods "p" is forbidden: error looking up service account d/default: serviceaccount "default" not found',
    );
  });

  it('leaves the token out when the pod or the account turns automount off', async () => {
    const off = pod({ automountServiceAccountToken: false });
    await run([sa('default')], { object: off });
    assert.equal(specOf(off).volumes, undefined);
    const saOff = pod();
    await run([sa('default', { automountServiceAccountToken: false })], { object: saOff });
    assert.equal(specOf(saOff).volumes, undefined);
    const podWins = pod({ automountServiceAccountToken: true });
    await run([sa('default', { automountServiceAccountToken: false })], { object: podWins });
    assert.equal(specOf(podWins).volumes.length, 1);
  });

  it('keeps a container own mount at the token path and reuses an existing token volume', async () => {
    const own = { name: 'mine', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
    const p = pod({ containers: [{ name: 'c', volumeMounts: [own] }] });
    await run([sa('default')], { object: p });
    assert.equal(specOf(p).volumes, undefined);
    assert.deepEqual(specOf(p).containers[0].volumeMounts, [own]);
    const existing = { name: 'kube-api-access-zzzzz', emptyDir: {} };
    const q = pod({ volumes: [existing] });
    await run([sa('default')], { object: q });
    assert.deepEqual(specOf(q).volumes, [existing]);
    assert.equal(specOf(q).containers[0].volumeMounts[0].name, 'kube-api-access-zzzzz');
  });

  it('copies image pull secrets from the account when the pod has none', async () => {
    const account = sa('default', { imagePullSecrets: [{ name: 'reg' }] });
    const p = pod();
    await run([account], { object: p });
    assert.deepEqual(specOf(p).imagePullSecrets, [{ name: 'reg' }]);
    const q = pod({ imagePullSecrets: [{ name: 'own' }] });
    await run([account], { object: q });
    assert.deepEqual(specOf(q).imagePullSecrets, [{ name: 'own' }]);
  });

  it('enforces mountable secrets when the account asks', async () => {
    const account = sa(
      'default',
      { secrets: [{ name: 'ok' }] },
      { 'kubernetes.io/enforce-mountable-secrets': 'true' },
    );
    const vol = pod({
      automountServiceAccountToken: false,
      volumes: [{ name: 'v', secret: { secretName: 'no' } }],
    });
    assert.equal(
      (await run([account], { object: vol }))?.message,
      'pods "p" is forbidden: volume with secret.secretName="no" is not allowed because service account default does not reference that secret',
    );
    const env = pod({
      automountServiceAccountToken: false,
      containers: [
        { name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'no', key: 'k' } } }] },
      ],
    });
    assert.equal(
      (await run([account], { object: env }))?.message,
      'pods "p" is forbidden: container c with envVar E referencing secret.secretName="no" is not allowed because service account default does not reference that secret',
    );
    const pull = pod({ automountServiceAccountToken: false, imagePullSecrets: [{ name: 'reg' }] });
    assert.equal(
      (await run([account], { object: pull }))?.message,
      'pods "p" is forbidden: imagePullSecrets[0].name="reg" is not allowed because service account default does not reference that imagePullSecret',
    );
    const fine = pod({ volumes: [{ name: 'v', secret: { secretName: 'ok' } }] });
    assert.equal(await run([account], { object: fine }), undefined);
  });

  it('mirror pods: untouched, and may not reference accounts, secrets or token projections', async () => {
    const mirror = { 'kubernetes.io/config.mirror': 'x' };
    const p = pod({}, mirror);
    assert.equal(await run([], { object: p }), undefined);
    assert.equal(specOf(p).serviceAccountName, undefined);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ serviceAccountName: 'x' }, 'a mirror pod may not reference service accounts'],
      [
        { volumes: [{ name: 'v', secret: { secretName: 's' } }] },
        'a mirror pod may not reference secrets',
      ],
      [{ volumes: [VOLUME] }, 'a mirror pod may not use ServiceAccountToken volume projections'],
    ];
    for (const [spec, why] of cases) {
      assert.equal(
        (await run([], { object: pod(spec, mirror) }))?.message,
        `pods "p" is forbidden: ${why}`,
      );
    }
  });

  it('validate requires an account on create and ignores updates and other resources', async () => {
    const err = await run([sa('default')], { object: pod() }, 'validate');
    assert.equal(err?.message, 'pods "p" is forbidden: no service account specified for pod d/p');
    assert.equal(
      await run([], { operation: 'UPDATE', object: pod(), oldObject: pod() }, 'validate'),
      undefined,
    );
    assert.equal(
      await run([], { resource: 'configmaps', object: { metadata: { name: 'x' } } }),
      undefined,
    );
    assert.equal(await run([], { object: pod(), subresource: 'status' }), undefined);
  });

  it('generates kube-style volume names', () => {
    assert.match(
      generateName('kube-api-access-'),
      /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
    );
  });
});
