import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { mapLister, testAttributes, type TestRequest } from '../builtin-support/index.js';
import { LimitRangerPlugin } from './plugin.js';

const lr = (limits: unknown[], name = 'lr'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name, namespace: 'd' },
  spec: { limits },
});

const pod = (containers: unknown[], extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'p', namespace: 'd' },
  spec: { containers, ...extra },
});

async function run(ranges: KubeObject[], r: TestRequest) {
  const plugin = new LimitRangerPlugin({ limitRanges: mapLister(ranges) });
  const ctx = { warnings: [], auditAnnotations: {} };
  try {
    await plugin.admit(testAttributes(r), ctx);
    await plugin.validate(testAttributes(r), ctx);
    return undefined;
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    return err;
  }
}

const DEFAULTS = lr([
  {
    type: 'Container',
    default: { cpu: '500m', memory: '256Mi' },
    defaultRequest: { cpu: '100m', memory: '128Mi' },
  },
]);

describe('LimitRanger: defaults', () => {
  it('fills container and init container requests and limits, and annotates', async () => {
    const p = pod([{ name: 'app' }], {
      initContainers: [{ name: 'init', resources: { limits: { cpu: '1' } } }],
    });
    assert.equal(await run([DEFAULTS], { object: p }), undefined);
    const spec = p.spec as any;
    assert.deepEqual(spec.containers[0].resources, {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    assert.deepEqual(spec.initContainers[0].resources, {
      limits: { cpu: '1', memory: '256Mi' },
      requests: { cpu: '100m', memory: '128Mi' },
    });
    assert.equal(
      (p.metadata as any).annotations['kubernetes.io/limit-ranger'],
      'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; cpu, memory request for init container init; memory limit for init container init',
    );
  });

  it('leaves a fully specified pod and its annotations alone', async () => {
    const res = {
      requests: { cpu: '200m', memory: '1Gi' },
      limits: { cpu: '300m', memory: '1Gi' },
    };
    const p = pod([{ name: 'app', resources: structuredClone(res) }]);
    await run([DEFAULTS], { object: p });
    assert.deepEqual((p.spec as any).containers[0].resources, res);
    assert.equal((p.metadata as any).annotations, undefined);
  });

  it('does nothing on pod updates, subresources, or other kinds', async () => {
    const max = lr([{ type: 'Container', max: { cpu: '1' } }]);
    const big = pod([{ name: 'a', resources: { limits: { cpu: '2' } } }]);
    assert.equal(await run([max], { operation: 'UPDATE', object: big, oldObject: big }), undefined);
    assert.equal(await run([max], { object: big, subresource: 'status' }), undefined);
    assert.equal(
      await run([max], { kind: 'ConfigMap', resource: 'configmaps', object: { metadata: {} } }),
      undefined,
    );
  });
});

describe('LimitRanger: container bounds', () => {
  it('refuses below min and above max with kube messages', async () => {
    const ranges = [lr([{ type: 'Container', min: { cpu: '100m' }, max: { memory: '1Gi' } }])];
    const low = await run(ranges, {
      object: pod([
        { name: 'a', resources: { requests: { cpu: '50m' }, limits: { memory: '512Mi' } } },
      ]),
    });
    assert.equal(low?.code, 403);
    assert.equal(
      low?.message,
      'pods "p" is forbidden: minimum cpu usage per Container is 100m, but request is 50m',
    );
    const high = await run(ranges, {
      object: pod([
        { name: 'a', resources: { requests: { cpu: '1' }, limits: { memory: '2Gi' } } },
      ]),
    });
    assert.equal(
      high?.message,
      'pods "p" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi',
    );
    const none = await run(ranges, { object: pod([{ name: 'a' }]) });
    assert.equal(
      none?.message,
      'pods "p" is forbidden: [minimum cpu usage per Container is 100m.  No request is specified, maximum memory usage per Container is 1Gi.  No limit is specified]',
    );
  });

  it('checks the limit against min and the request against max', async () => {
    const ranges = [lr([{ type: 'Container', min: { cpu: '100m' }, max: { cpu: '1' } }])];
    const limLow = await run(ranges, {
      object: pod([
        { name: 'a', resources: { requests: { cpu: '200m' }, limits: { cpu: '50m' } } },
      ]),
    });
    assert.match(
      limLow?.message ?? '',
      /minimum cpu usage per Container is 100m, but limit is 50m/,
    );
    assert.equal(
      await run(ranges, {
        object: pod([
          { name: 'a', resources: { requests: { cpu: '0.5' }, limits: { cpu: '1000m' } } },
        ]),
      }),
      undefined,
    );
  });

  it('enforces maxLimitRequestRatio', async () => {
    const ranges = [lr([{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }])];
    const err = await run(ranges, {
      object: pod([
        { name: 'a', resources: { requests: { cpu: '100m' }, limits: { cpu: '500m' } } },
      ]),
    });
    assert.equal(
      err?.message,
      'pods "p" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000',
    );
    const noReq = await run(ranges, {
      object: pod([{ name: 'a', resources: { limits: { cpu: '500m' } } }]),
    });
    assert.equal(
      noReq?.message,
      'pods "p" is forbidden: cpu max limit to request ratio per Container is 2, but no request is specified or request is 0',
    );
    assert.equal(
      await run(ranges, {
        object: pod([{ name: 'a', resources: { requests: { cpu: '1' }, limits: { cpu: '2' } } }]),
      }),
      undefined,
    );
  });

  it('judges defaults it filled itself', async () => {
    const ranges = [
      lr([
        {
          type: 'Container',
          default: { cpu: '2' },
          defaultRequest: { cpu: '1' },
          max: { cpu: '1' },
        },
      ]),
    ];
    const err = await run(ranges, { object: pod([{ name: 'a' }]) });
    assert.equal(
      err?.message,
      'pods "p" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    );
  });
});

describe('LimitRanger: pod bounds', () => {
  it('sums containers, takes the init peak, counts sidecars, not overhead; pod-level wins', async () => {
    const ranges = [lr([{ type: 'Pod', max: { cpu: '1' } }])];
    const c = (cpu: string, extra = {}) => ({
      name: `c${cpu}`,
      resources: { requests: { cpu }, limits: { cpu } },
      ...extra,
    });
    assert.equal(
      await run(ranges, { object: pod([c('400m'), c('500m')], { initContainers: [c('900m')] }) }),
      undefined,
    );
    const over = await run(ranges, { object: pod([c('400m'), c('700m')]) });
    assert.equal(
      over?.message,
      'pods "p" is forbidden: maximum cpu usage per Pod is 1, but limit is 1100m',
    );
    const sidecar = await run(ranges, {
      object: pod([c('600m')], { initContainers: [c('500m', { restartPolicy: 'Always' })] }),
    });
    assert.match(sidecar?.message ?? '', /maximum cpu usage per Pod is 1, but limit is 1100m/);
    // Overhead is not the pod's own: LimitRanger leaves it out.
    assert.equal(
      await run(ranges, { object: pod([c('900m')], { overhead: { cpu: '200m' } }) }),
      undefined,
    );
    // Pod-level resources replace the containers' sum.
    const podLevel = await run(ranges, {
      object: pod([c('100m')], { resources: { requests: { cpu: '2' }, limits: { cpu: '2' } } }),
    });
    assert.equal(
      podLevel?.message,
      'pods "p" is forbidden: maximum cpu usage per Pod is 1, but limit is 2',
    );
  });

  it('refuses pods below a Pod min', async () => {
    const ranges = [lr([{ type: 'Pod', min: { memory: '1Gi' } }])];
    const err = await run(ranges, {
      object: pod([{ name: 'a', resources: { requests: { memory: '512Mi' } } }]),
    });
    assert.equal(
      err?.message,
      'pods "p" is forbidden: minimum memory usage per Pod is 1Gi, but request is 512Mi',
    );
  });
});

describe('LimitRanger: PersistentVolumeClaims', () => {
  const claim = (storage?: string): KubeObject => ({
    metadata: { name: 'pvc', namespace: 'd' },
    spec: { resources: storage ? { requests: { storage } } : {} },
  });
  const req = (o: KubeObject): TestRequest => ({
    kind: 'PersistentVolumeClaim',
    resource: 'persistentvolumeclaims',
    object: o,
  });
  const ranges = [
    lr([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }]),
  ];

  it('bounds the requested storage', async () => {
    assert.equal(
      (await run(ranges, req(claim('500Mi'))))?.message,
      'persistentvolumeclaims "pvc" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi',
    );
    assert.equal(
      (await run(ranges, req(claim('20Gi'))))?.message,
      'persistentvolumeclaims "pvc" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi',
    );
    assert.equal(
      (await run(ranges, req(claim())))?.message,
      'persistentvolumeclaims "pvc" is forbidden: [minimum storage usage per PersistentVolumeClaim is 1Gi.  No request is specified, maximum storage usage per PersistentVolumeClaim is 10Gi.  No request is specified]',
    );
    assert.equal(await run(ranges, req(claim('5Gi'))), undefined);
  });

  it('lets an update of a claim being deleted through', async () => {
    const old = {
      ...claim('20Gi'),
      metadata: { name: 'pvc', namespace: 'd', deletionTimestamp: '2026-01-01T00:00:00Z' },
    };
    assert.equal(
      await run(ranges, { ...req(claim('20Gi')), operation: 'UPDATE', oldObject: old }),
      undefined,
    );
  });
});
