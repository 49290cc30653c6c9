import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@splitplane/scheme';
import { assertErrors, meta, runCreate, runUpdate, stored } from '../internal/test-support.js';

const svc = (spec: Record<string, unknown>, name = 'web'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta(name),
  spec,
});

test('service defaults match what kube-apiserver returns (without IP allocation)', () => {
  const { obj, errs } = runCreate(
    'Service',
    svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }),
  );
  assert.deepEqual(errs, []);
  assert.deepEqual(obj['spec'], {
    selector: { app: 'web' },
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    type: 'ClusterIP',
    sessionAffinity: 'None',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  assert.deepEqual(obj['status'], { loadBalancer: {} });
});

test('NodePort and LoadBalancer defaults', () => {
  const lb = runCreate(
    'Service',
    svc({ type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'https', nodePort: 30443 }] }),
  );
  assert.deepEqual(lb.errs, []);
  const spec = lb.obj['spec'] as Record<string, unknown>;
  assert.equal(spec['externalTrafficPolicy'], 'Cluster');
  assert.equal(spec['allocateLoadBalancerNodePorts'], true);
  const clientIP = runCreate(
    'Service',
    svc({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }),
  );
  assert.deepEqual((clientIP.obj['spec'] as Record<string, unknown>)['sessionAffinityConfig'], {
    clientIP: { timeoutSeconds: 10800 },
  });
});

test('valid services pass: headless, ExternalName, explicit clusterIP', () => {
  assertErrors(
    runCreate('Service', svc({ clusterIP: 'None', selector: { app: 'db' } })).errs,
    [],
    'headless without ports',
  );
  assertErrors(
    runCreate('Service', svc({ type: 'ExternalName', externalName: 'db.example.com.' })).errs,
    [],
    'ExternalName',
  );
  const fixed = runCreate(
    'Service',
    svc({
      clusterIP: '10.96.0.10',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53 },
      ],
    }),
  );
  assertErrors(fixed.errs, [], 'fixed clusterIP');
  assert.deepEqual((fixed.obj['spec'] as Record<string, unknown>)['clusterIPs'], ['10.96.0.10']);
});

test('invalid services yield kube field paths and types', () => {
  const table: Array<[string, KubeObject, Parameters<typeof assertErrors>[1]]> = [
    [
      'name must be a DNS-1035 label',
      svc({ ports: [{ port: 80 }] }, '1web'),
      [{ field: 'metadata.name', type: 'Invalid', detail: /^a DNS-1035 label must consist/ }],
    ],
    ['no ports', svc({ selector: { a: 'b' } }), [{ field: 'spec.ports', type: 'Required' }]],
    [
      'several ports need unique names',
      svc({ ports: [{ port: 80 }, { name: 'b', port: 81 }, { name: 'b', port: 82 }] }),
      [
        { field: 'spec.ports[0].name', type: 'Required' },
        { field: 'spec.ports[2].name', type: 'Duplicate' },
      ],
    ],
    [
      'port range',
      svc({ ports: [{ port: 0 }] }),
      [
        {
          field: 'spec.ports[0].port',
          type: 'Invalid',
          detail: 'must be between 1 and 65535, inclusive',
        },
        { field: 'spec.ports[0].targetPort', type: 'Invalid' },
      ],
    ],
    [
      'targetPort name',
      svc({ ports: [{ port: 80, targetPort: 'not_valid' }] }),
      [{ field: 'spec.ports[0].targetPort', type: 'Invalid' }],
    ],
    [
      'duplicate port/protocol',
      svc({
        ports: [
          { name: 'a', port: 80 },
          { name: 'b', port: 80 },
        ],
      }),
      [{ field: 'spec.ports[1]', type: 'Duplicate' }],
    ],
    [
      'type',
      svc({ type: 'Magic', ports: [{ port: 80 }] }),
      [
        {
          field: 'spec.type',
          type: 'NotSupported',
          detail: 'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
        },
      ],
    ],
    [
      'selector labels',
      svc({ selector: { 'bad key!': 'x' }, ports: [{ port: 80 }] }),
      [{ field: 'spec.selector', type: 'Invalid' }],
    ],
    [
      'clusterIP',
      svc({ clusterIP: '10.0.0.300', ports: [{ port: 80 }] }),
      [{ field: 'spec.clusterIPs[0]', type: 'Invalid' }],
    ],
    [
      'nodePort on ClusterIP',
      svc({ ports: [{ port: 80, nodePort: 30080 }] }),
      [
        {
          field: 'spec.ports[0].nodePort',
          type: 'Forbidden',
          detail: "may not be used when `type` is 'ClusterIP'",
        },
      ],
    ],
    [
      'nodePort range',
      svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 70000 }] }),
      [{ field: 'spec.ports[0].nodePort', type: 'Invalid' }],
    ],
    [
      'headless NodePort',
      svc({ type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] }),
      [
        {
          field: 'spec.clusterIPs[0]',
          type: 'Invalid',
          detail: "may not be set to 'None' for NodePort services",
        },
      ],
    ],
    [
      'ExternalName needs a name',
      svc({ type: 'ExternalName' }),
      [{ field: 'spec.externalName', type: 'Required' }],
    ],
    [
      'affinity timeout',
      svc({
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } },
        ports: [{ port: 80 }],
      }),
      [{ field: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds', type: 'Invalid' }],
    ],
  ];
  for (const [label, obj, expected] of table)
    assertErrors(runCreate('Service', obj).errs, expected, label);
});

test('service updates keep allocated values and forbid changing clusterIP', () => {
  const old = stored(
    'Service',
    svc({
      clusterIP: '10.96.0.20',
      type: 'NodePort',
      ports: [{ name: 'http', port: 80, nodePort: 30080 }],
    }),
  );
  // A replace that omits server-set fields keeps them.
  const { obj, errs } = runUpdate(
    'Service',
    svc({ type: 'NodePort', ports: [{ name: 'http', port: 80 }] }),
    old,
  );
  assertErrors(errs, []);
  const spec = obj['spec'] as Record<string, any>;
  assert.equal(spec.clusterIP, '10.96.0.20');
  assert.deepEqual(spec.clusterIPs, ['10.96.0.20']);
  assert.equal(spec.ports[0].nodePort, 30080);
  const changed = runUpdate(
    'Service',
    svc({ clusterIP: '10.96.0.21', type: 'NodePort', ports: [{ name: 'http', port: 80 }] }),
    old,
  );
  assertErrors(changed.errs, [
    { field: 'spec.clusterIPs[0]', type: 'Invalid', detail: 'may not change once set' },
  ]);
});
