import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@splitplane/scheme';
import { strategyFor } from '../registry.js';
import {
  assertErrors,
  defOf,
  meta,
  runCreate,
  runUpdate,
  stored,
} from '../internal/test-support.js';

const template = (
  labels: Record<string, string> = { app: 'web' },
  spec: Record<string, unknown> = {},
) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'nginx', image: 'nginx' }], ...spec },
});

const workload = (kind: string, spec: Record<string, unknown>, name = 'web'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: meta(name),
  spec: { selector: { matchLabels: { app: 'web' } }, template: template(), ...spec },
});

const DEFAULTED_TEMPLATE_SPEC = {
  containers: [
    {
      name: 'nginx',
      image: 'nginx',
      imagePullPolicy: 'Always',
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    },
  ],
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

test('deployment defaults match what kube-apiserver returns', () => {
  const { obj, errs } = runCreate('Deployment', workload('Deployment', {}));
  assert.deepEqual(errs, []);
  assert.deepEqual(obj['spec'], {
    progressDeadlineSeconds: 600,
    replicas: 1,
    revisionHistoryLimit: 10,
    selector: { matchLabels: { app: 'web' } },
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
    template: { metadata: { labels: { app: 'web' } }, spec: DEFAULTED_TEMPLATE_SPEC },
  });
  assert.equal(obj.metadata?.generation, 1);
  assert.deepEqual(obj['status'], {});
});

test('replicaset, statefulset and daemonset defaults', () => {
  const rs = runCreate('ReplicaSet', workload('ReplicaSet', {}));
  assert.deepEqual(rs.errs, []);
  assert.equal((rs.obj['spec'] as Record<string, unknown>)['replicas'], 1);

  const sts = runCreate('StatefulSet', workload('StatefulSet', { serviceName: 'web' }));
  assert.deepEqual(sts.errs, []);
  const stsSpec = sts.obj['spec'] as Record<string, unknown>;
  assert.equal(stsSpec['podManagementPolicy'], 'OrderedReady');
  assert.deepEqual(stsSpec['updateStrategy'], {
    type: 'RollingUpdate',
    rollingUpdate: { partition: 0 },
  });
  assert.deepEqual(stsSpec['persistentVolumeClaimRetentionPolicy'], {
    whenDeleted: 'Retain',
    whenScaled: 'Retain',
  });
  assert.equal(stsSpec['replicas'], 1);
  assert.equal(stsSpec['revisionHistoryLimit'], 10);

  const ds = runCreate('DaemonSet', workload('DaemonSet', {}));
  assert.deepEqual(ds.errs, []);
  const dsSpec = ds.obj['spec'] as Record<string, unknown>;
  assert.deepEqual(dsSpec['updateStrategy'], {
    type: 'RollingUpdate',
    rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
  });
  assert.equal(dsSpec['revisionHistoryLimit'], 10);
  assert.equal(ds.obj.metadata?.annotations?.['deprecated.daemonset.template.generation'], '1');
});

test('invalid workloads yield kube field paths and types', () => {
  const table: Array<[string, string, KubeObject, Parameters<typeof assertErrors>[1]]> = [
    [
      'Deployment',
      'selector mismatch',
      workload('Deployment', { template: template({ app: 'other' }) }),
      [
        {
          field: 'spec.template.metadata.labels',
          type: 'Invalid',
          detail: '`selector` does not match template `labels`',
        },
      ],
    ],
    [
      'Deployment',
      'missing selector',
      workload('Deployment', { selector: undefined }),
      [{ field: 'spec.selector', type: 'Required' }],
    ],
    [
      'Deployment',
      'empty selector',
      workload('Deployment', { selector: {} }),
      [
        {
          field: 'spec.selector',
          type: 'Invalid',
          detail: 'empty selector is invalid for deployment',
        },
      ],
    ],
    [
      'Deployment',
      'negative replicas',
      workload('Deployment', { replicas: -1 }),
      [{ field: 'spec.replicas', type: 'Invalid', detail: 'must be greater than or equal to 0' }],
    ],
    [
      'Deployment',
      'template restartPolicy',
      workload('Deployment', { template: template({ app: 'web' }, { restartPolicy: 'Never' }) }),
      [
        {
          field: 'spec.template.spec.restartPolicy',
          type: 'NotSupported',
          detail: 'supported values: "Always"',
        },
      ],
    ],
    [
      'Deployment',
      'zero surge and unavailable',
      workload('Deployment', {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } },
      }),
      [
        {
          field: 'spec.strategy.rollingUpdate.maxUnavailable',
          type: 'Invalid',
          detail: 'may not be 0 when `maxSurge` is 0',
        },
      ],
    ],
    [
      'Deployment',
      'recreate with rollingUpdate',
      workload('Deployment', { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }),
      [{ field: 'spec.strategy.rollingUpdate', type: 'Forbidden' }],
    ],
    [
      'Deployment',
      'bad percent',
      workload('Deployment', {
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25', maxUnavailable: '150%' },
        },
      }),
      [
        {
          field: 'spec.strategy.rollingUpdate.maxSurge',
          type: 'Invalid',
          detail: /a valid percent string/,
        },
        {
          field: 'spec.strategy.rollingUpdate.maxUnavailable',
          type: 'Invalid',
          detail: 'must not be greater than 100%',
        },
      ],
    ],
    [
      'Deployment',
      'progressDeadlineSeconds',
      workload('Deployment', { minReadySeconds: 700 }),
      [
        {
          field: 'spec.progressDeadlineSeconds',
          type: 'Invalid',
          detail: 'must be greater than minReadySeconds',
        },
      ],
    ],
    [
      'Deployment',
      'duplicate container in template',
      workload('Deployment', {
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'a', image: 'x' },
              { name: 'a', image: 'y' },
            ],
          },
        },
      }),
      [{ field: 'spec.template.spec.containers[1].name', type: 'Duplicate' }],
    ],
    [
      'Deployment',
      'name',
      workload('Deployment', {}, 'Web'),
      [{ field: 'metadata.name', type: 'Invalid' }],
    ],
    [
      'ReplicaSet',
      'selector mismatch',
      workload('ReplicaSet', { template: template({ tier: 'nginx' }) }),
      [
        {
          field: 'spec.template.metadata.labels',
          type: 'Invalid',
          detail: '`selector` does not match template `labels`',
        },
      ],
    ],
    [
      'StatefulSet',
      'name is a DNS label',
      workload('StatefulSet', {}, 'web.v1'),
      [{ field: 'metadata.name', type: 'Invalid' }],
    ],
    [
      'StatefulSet',
      'podManagementPolicy',
      workload('StatefulSet', { podManagementPolicy: 'Random' }),
      [
        {
          field: 'spec.podManagementPolicy',
          type: 'Invalid',
          detail: "must be 'OrderedReady' or 'Parallel'",
        },
      ],
    ],
    [
      'StatefulSet',
      'activeDeadlineSeconds',
      workload('StatefulSet', { template: template({ app: 'web' }, { activeDeadlineSeconds: 5 }) }),
      [
        {
          field: 'spec.template.spec.activeDeadlineSeconds',
          type: 'Forbidden',
          detail: 'activeDeadlineSeconds in StatefulSet is not Supported',
        },
      ],
    ],
    [
      'DaemonSet',
      'selector mismatch',
      workload('DaemonSet', { template: template({ app: 'x' }) }),
      [
        {
          field: 'spec.template.metadata.labels',
          type: 'Invalid',
          detail: '`selector` does not match template `labels`',
        },
      ],
    ],
    [
      'DaemonSet',
      'both surge and unavailable',
      workload('DaemonSet', {
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 1, maxSurge: 1 },
        },
      }),
      [
        {
          field: 'spec.updateStrategy.rollingUpdate.maxSurge',
          type: 'Invalid',
          detail: 'may not be set when maxUnavailable is non-zero',
        },
      ],
    ],
  ];
  for (const [kind, label, obj, expected] of table) {
    const o = structuredClone(obj);
    o.kind = kind;
    assertErrors(runCreate(kind, o).errs, expected, `${kind}: ${label}`);
  }
});

test('workload selectors are immutable and spec changes bump generation', () => {
  for (const kind of ['Deployment', 'ReplicaSet', 'DaemonSet']) {
    const old = stored(kind, workload(kind, {}));
    const changed = workload(kind, {
      selector: { matchLabels: { app: 'web', tier: 'x' } },
      template: template({ app: 'web', tier: 'x' }),
    });
    assertErrors(
      runUpdate(kind, changed, old).errs,
      [{ field: 'spec.selector', type: 'Invalid', detail: 'field is immutable' }],
      kind,
    );
    const scaled = structuredClone(old);
    (scaled['spec'] as Record<string, unknown>)['minReadySeconds'] = 5;
    const { obj, errs } = runUpdate(kind, scaled, old);
    assertErrors(errs, [], kind);
    assert.equal(obj.metadata?.generation, 2, kind);
  }
  const sts = stored('StatefulSet', workload('StatefulSet', { serviceName: 'web' }));
  const renamed = structuredClone(sts);
  (renamed['spec'] as Record<string, unknown>)['serviceName'] = 'other';
  assertErrors(runUpdate('StatefulSet', renamed, sts).errs, [
    {
      field: 'spec',
      type: 'Forbidden',
      detail: /^updates to statefulset spec for fields other than/,
    },
  ]);
});

test('deployment status updates keep spec and metadata labels', () => {
  const s = strategyFor(defOf('Deployment'));
  const old = stored('Deployment', workload('Deployment', {}));
  const upd = structuredClone(old);
  upd['status'] = { replicas: 1 };
  (upd['spec'] as Record<string, unknown>)['replicas'] = 9;
  s.prepareForStatusUpdate(upd, old);
  assert.deepEqual(upd['spec'], old['spec']);
  assert.deepEqual(upd['status'], { replicas: 1 });
});

test('deployment warns about names that are not DNS labels', () => {
  const s = strategyFor(defOf('Deployment'));
  const w = s.warningsOnCreate?.(workload('Deployment', {}, 'web.v1')) ?? [];
  assert.equal(w.length, 1);
  assert.match(w[0]!, /^metadata\.name: this is used in Pod names and hostnames/);
});

test('workload status updates are validated', () => {
  const s = strategyFor(defOf('Deployment'));
  const old = stored('Deployment', workload('Deployment', {}));
  old['status'] = { replicas: 1, collisionCount: 2 };
  const upd = structuredClone(old);
  upd['status'] = { replicas: 1, readyReplicas: 3, availableReplicas: 1, collisionCount: 1 };
  s.prepareForStatusUpdate(upd, old);
  assertErrors(s.validateStatusUpdate?.(upd, old) ?? [], [
    {
      field: 'status.readyReplicas',
      type: 'Invalid',
      detail: 'cannot be greater than status.replicas',
    },
    { field: 'status.collisionCount', type: 'Invalid', detail: 'cannot be decremented' },
  ]);
});
