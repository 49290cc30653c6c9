import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_RESOURCES } from '../builtins.js';
import type { KubeObject } from '../resource-definition.js';
import { defaultPrinter } from './default-printer.js';
import { humanDuration } from './duration.js';
import { printerFor } from './printer-for.js';
import { toTable } from './table.js';

const NOW = new Date('2025-01-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
const def = (group: string, kind: string) =>
  BUILTIN_RESOURCES.find((d) => d.group === group && d.kind === kind)!;

describe('humanDuration', () => {
  const cases: Array<[number, string]> = [
    [-5, '<invalid>'],
    [-1, '0s'],
    [0, '0s'],
    [5, '5s'],
    [119, '119s'],
    [120, '2m'],
    [182, '3m2s'],
    [600, '10m'],
    [179 * 60, '179m'],
    [3 * 3600 + 5 * 60, '3h5m'],
    [8 * 3600, '8h'],
    [47 * 3600, '47h'],
    [2 * 86400 + 3 * 3600, '2d3h'],
    [7 * 86400, '7d'],
    [400 * 86400, '400d'],
    [3 * 365 * 86400 + 20 * 86400, '3y20d'],
    [9 * 365 * 86400, '9y'],
  ];
  for (const [s, want] of cases)
    it(`${s}s -> ${want}`, () => assert.equal(humanDuration(s * 1000), want));
});

describe('workload and core printers', () => {
  it('deployment READY, UP-TO-DATE, AVAILABLE and wide cells', () => {
    const d: KubeObject = {
      metadata: { name: 'web', creationTimestamp: ago(65) },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web', tier: 'fe' } },
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'nginx:1' },
              { name: 'b', image: 'busybox' },
            ],
          },
        },
      },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    const p = printerFor(def('apps', 'Deployment'));
    assert.deepEqual(
      p.columns.map((c) => c.name),
      ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'],
    );
    assert.deepEqual(p.row(d, NOW), [
      'web',
      '2/3',
      3,
      2,
      '65s',
      'a,b',
      'nginx:1,busybox',
      'app=web,tier=fe',
    ]);
  });

  it('service PORT(S), CLUSTER-IP, EXTERNAL-IP', () => {
    const p = printerFor(def('', 'Service'));
    const svc = (
      spec: Record<string, unknown>,
      status: Record<string, unknown> = {},
    ): KubeObject => ({
      metadata: { name: 'web', creationTimestamp: ago(10) },
      spec,
      status,
    });
    assert.deepEqual(
      p.row(
        svc({
          type: 'ClusterIP',
          clusterIP: '10.96.0.10',
          clusterIPs: ['10.96.0.10'],
          ports: [{ port: 80, protocol: 'TCP' }],
          selector: { app: 'web' },
        }),
        NOW,
      ),
      ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '10s', 'app=web'],
    );
    assert.deepEqual(
      p
        .row(
          svc({
            type: 'NodePort',
            clusterIPs: ['10.96.0.11'],
            ports: [
              { port: 80, nodePort: 30080, protocol: 'TCP' },
              { port: 53, protocol: 'UDP' },
            ],
          }),
          NOW,
        )
        .slice(1, 5),
      ['NodePort', '10.96.0.11', '<none>', '80:30080/TCP,53/UDP'],
    );
    assert.equal(
      p.row(svc({ type: 'LoadBalancer', clusterIPs: ['10.0.0.1'], ports: [] }), NOW)[3],
      '<pending>',
    );
    assert.equal(
      p.row(svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] }), NOW)[4],
      '<none>',
    );
  });

  it('configmap, secret, namespace, service account', () => {
    const meta = { name: 'x', creationTimestamp: ago(3 * 86400) };
    assert.deepEqual(
      printerFor(def('', 'ConfigMap')).row(
        { metadata: meta, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } },
        NOW,
      ),
      ['x', 3, '3d'],
    );
    assert.deepEqual(
      printerFor(def('', 'Secret')).row(
        { metadata: meta, type: 'Opaque', data: { a: 'MQ==' } },
        NOW,
      ),
      ['x', 'Opaque', 1, '3d'],
    );
    assert.deepEqual(
      printerFor(def('', 'Namespace')).row({ metadata: meta, status: { phase: 'Active' } }, NOW),
      ['x', 'Active', '3d'],
    );
    assert.deepEqual(printerFor(def('', 'ServiceAccount')).row({ metadata: meta }, NOW), [
      'x',
      0,
      '3d',
    ]);
  });

  it('job status and completions', () => {
    const p = printerFor(def('batch', 'Job'));
    const job: KubeObject = {
      metadata: { name: 'pi', creationTimestamp: ago(120) },
      spec: {
        completions: 1,
        parallelism: 1,
        template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } },
      },
      status: {
        succeeded: 1,
        startTime: ago(120),
        completionTime: ago(100),
        conditions: [{ type: 'Complete', status: 'True' }],
      },
    };
    assert.deepEqual(p.row(job, NOW).slice(0, 5), ['pi', 'Complete', '1/1', '20s', '2m']);
  });

  it('rolebinding wide subjects and event object', () => {
    const rb: KubeObject = {
      metadata: { name: 'rb', creationTimestamp: ago(1) },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' },
        { kind: 'Group', name: 'devs' },
      ],
    };
    assert.deepEqual(printerFor(def('rbac.authorization.k8s.io', 'RoleBinding')).row(rb, NOW), [
      'rb',
      'ClusterRole/view',
      '1s',
      'alice',
      'devs',
      'ns/sa',
    ]);
    const ev: KubeObject = {
      metadata: { name: 'web.1' },
      involvedObject: { kind: 'Pod', name: 'web' },
      type: 'Normal',
      reason: 'Scheduled',
      message: 'ok ',
      firstTimestamp: ago(60),
      lastTimestamp: ago(30),
      count: 2,
      source: { component: 'scheduler' },
    };
    assert.deepEqual(printerFor(def('', 'Event')).row(ev, NOW), [
      '30s',
      'Normal',
      'Scheduled',
      'pod/web',
      '',
      'scheduler',
      'ok',
      '60s',
      2,
      'web.1',
    ]);
  });
});

describe('printerFor and toTable', () => {
  it('every built-in has a printer whose rows match its columns', () => {
    for (const d of BUILTIN_RESOURCES) {
      const p = printerFor(d);
      const row = p.row({ metadata: { name: 'n', creationTimestamp: ago(5) } }, NOW);
      assert.equal(row.length, p.columns.length, `${d.group}/${d.kind}`);
    }
  });

  it('kinds without kube printers use Name / Created At', () => {
    for (const kind of ['Role', 'ClusterRole'])
      assert.equal(printerFor(def('rbac.authorization.k8s.io', kind)), defaultPrinter);
    assert.equal(printerFor(def('', 'LimitRange')), defaultPrinter);
    assert.deepEqual(
      defaultPrinter.row(
        { metadata: { name: 'x', creationTimestamp: '2024-05-01T10:00:00Z' } },
        NOW,
      ),
      ['x', '2024-05-01T10:00:00Z'],
    );
    assert.deepEqual(
      defaultPrinter.columns.map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Created At', 'date'],
      ],
    );
  });

  it('builds a meta.k8s.io/v1 Table with PartialObjectMetadata rows', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'ns', creationTimestamp: ago(5) },
      data: { k: 'v' },
    };
    const t = toTable(printerFor(def('', 'ConfigMap')), [cm], {
      now: NOW,
      listMeta: { resourceVersion: '42', continue: '' },
    });
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(t.metadata, { resourceVersion: '42' });
    assert.deepEqual(t.columnDefinitions[0], {
      name: 'Name',
      type: 'string',
      format: 'name',
      description: t.columnDefinitions[0]!.description,
      priority: 0,
    });
    assert.deepEqual(t.rows[0]!.cells, ['a', 1, '5s']);
    assert.deepEqual(t.rows[0]!.object, {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: cm.metadata,
    });
    assert.deepEqual(
      toTable(printerFor(def('', 'ConfigMap')), [cm], { includeObject: 'Object', now: NOW })
        .rows[0]!.object,
      cm,
    );
    assert.equal(
      toTable(printerFor(def('', 'ConfigMap')), [cm], { includeObject: 'None', now: NOW }).rows[0]!
        .object,
      null,
    );
  });
});
