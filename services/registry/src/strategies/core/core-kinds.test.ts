import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@splitplane/scheme';
import { assertErrors, meta, runCreate, runUpdate, stored } from '../internal/test-support.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const obj = (
  kind: string,
  body: Record<string, unknown>,
  name = 'x',
  apiVersion = 'v1',
): KubeObject => ({ apiVersion, kind, metadata: meta(name), ...body });

test('configmaps: keys, size, immutability', () => {
  assertErrors(
    runCreate(
      'ConfigMap',
      obj('ConfigMap', {
        data: { 'app.properties': 'a=b', KEY_1: 'v' },
        binaryData: { blob: b64('x') },
      }),
    ).errs,
    [],
  );
  assertErrors(
    runCreate(
      'ConfigMap',
      obj('ConfigMap', { data: { 'bad/key': 'v', dup: '1' }, binaryData: { dup: b64('x') } }),
    ).errs,
    [
      { field: 'data[bad/key]', type: 'Invalid' },
      { field: 'data[dup]', type: 'Invalid', detail: 'duplicate of key present in binaryData' },
    ],
  );
  assertErrors(
    runCreate('ConfigMap', obj('ConfigMap', { data: { big: 'x'.repeat(1024 * 1024 + 1) } })).errs,
    [{ field: '', type: 'TooLong' }],
  );
  const old = stored('ConfigMap', obj('ConfigMap', { data: { a: '1' }, immutable: true }));
  assertErrors(
    runUpdate('ConfigMap', obj('ConfigMap', { data: { a: '2' }, immutable: true }), old).errs,
    [{ field: 'data', type: 'Forbidden', detail: 'field is immutable when `immutable` is set' }],
  );
  assertErrors(runUpdate('ConfigMap', obj('ConfigMap', { data: { a: '1' } }), old).errs, [
    { field: 'immutable', type: 'Forbidden' },
  ]);
});

test('secrets: Opaque default, stringData folding, type-specific keys, immutable type', () => {
  const { obj: s, errs } = runCreate(
    'Secret',
    obj('Secret', { stringData: { password: 'hunter2' } }),
  );
  assertErrors(errs, []);
  assert.equal(s['type'], 'Opaque');
  assert.deepEqual(s['data'], { password: b64('hunter2') });
  assert.equal(s['stringData'], undefined);
  assertErrors(
    runCreate('Secret', obj('Secret', { type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }))
      .errs,
    [{ field: 'data[tls.key]', type: 'Required' }],
  );
  assertErrors(
    runCreate(
      'Secret',
      obj('Secret', {
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': b64('{nope') },
      }),
    ).errs,
    [{ field: 'data[.dockerconfigjson]', type: 'Invalid' }],
  );
  assertErrors(
    runCreate('Secret', obj('Secret', { type: 'kubernetes.io/basic-auth', data: {} })).errs,
    [
      { field: 'data[username]', type: 'Required' },
      { field: 'data[password]', type: 'Required' },
    ],
  );
  assertErrors(
    runCreate('Secret', obj('Secret', { type: 'kubernetes.io/service-account-token' })).errs,
    [{ field: 'metadata.annotations[kubernetes.io/service-account.name]', type: 'Required' }],
  );
  const old = stored('Secret', obj('Secret', { data: { a: b64('1') } }));
  assertErrors(
    runUpdate(
      'Secret',
      obj('Secret', { type: 'kubernetes.io/basic-auth', data: { username: b64('u') } }),
      old,
    ).errs,
    [{ field: 'type', type: 'Invalid', detail: 'field is immutable' }],
  );
});

test('namespaces: DNS label names, Active status, kubernetes finalizer, name label', () => {
  const { obj: ns, errs } = runCreate('Namespace', obj('Namespace', {}, 'team-a'));
  assertErrors(errs, []);
  assert.deepEqual(ns['spec'], { finalizers: ['kubernetes'] });
  assert.deepEqual(ns['status'], { phase: 'Active' });
  assert.deepEqual(ns.metadata?.labels, { 'kubernetes.io/metadata.name': 'team-a' });
  assertErrors(runCreate('Namespace', obj('Namespace', {}, 'team.a')).errs, [
    { field: 'metadata.name', type: 'Invalid' },
  ]);
});

test('endpoints: addresses and ports', () => {
  const good = { subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80 }] }] };
  assertErrors(runCreate('Endpoints', obj('Endpoints', good)).errs, []);
  assertErrors(
    runCreate(
      'Endpoints',
      obj('Endpoints', {
        subsets: [
          {},
          {
            addresses: [{ ip: '127.0.0.1' }, { ip: 'nope' }],
            ports: [{ port: 80 }, { name: 'b', port: 0 }],
          },
        ],
      }),
    ).errs,
    [
      { field: 'subsets[0]', type: 'Required' },
      { field: 'subsets[1].addresses[0].ip', type: 'Invalid', detail: /loopback/ },
      { field: 'subsets[1].addresses[1].ip', type: 'Invalid' },
      { field: 'subsets[1].ports[0].name', type: 'Required' },
      { field: 'subsets[1].ports[1].port', type: 'Invalid' },
    ],
  );
});

test('nodes keep status on create and taints are validated', () => {
  const { obj: n, errs } = runCreate(
    'Node',
    obj(
      'Node',
      { spec: { podCIDRs: ['10.244.0.0/24'] }, status: { capacity: { cpu: '4' } } },
      'node-1',
    ),
  );
  assertErrors(errs, []);
  assert.deepEqual(n['status'], { capacity: { cpu: '4' }, allocatable: { cpu: '4' } });
  assertErrors(
    runCreate('Node', obj('Node', { spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } }, 'n'))
      .errs,
    [{ field: 'spec.taints[0].effect', type: 'NotSupported' }],
  );
  const old = stored('Node', obj('Node', { spec: { podCIDRs: ['10.244.0.0/24'] } }, 'n'));
  assertErrors(
    runUpdate('Node', obj('Node', { spec: { podCIDRs: ['10.244.1.0/24'] } }, 'n'), old).errs,
    [{ field: 'spec.podCIDRs', type: 'Invalid' }],
  );
});

test('persistentvolumeclaims: defaults, required fields, immutable spec', () => {
  const pvc = (spec: Record<string, unknown>) => obj('PersistentVolumeClaim', { spec });
  const good = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };
  const { obj: p, errs } = runCreate('PersistentVolumeClaim', pvc(good));
  assertErrors(errs, []);
  assert.equal((p['spec'] as Record<string, unknown>)['volumeMode'], 'Filesystem');
  assert.deepEqual(p['status'], { phase: 'Pending' });
  assertErrors(runCreate('PersistentVolumeClaim', pvc({ resources: { requests: {} } })).errs, [
    { field: 'spec.accessModes', type: 'Required' },
    { field: 'spec.resources[storage]', type: 'Required' },
  ]);
  assertErrors(
    runCreate(
      'PersistentVolumeClaim',
      pvc({ accessModes: ['ReadWriteSometimes'], resources: { requests: { storage: '0' } } }),
    ).errs,
    [
      { field: 'spec.accessModes', type: 'NotSupported' },
      { field: 'spec.resources[storage]', type: 'Invalid', detail: 'must be greater than zero' },
    ],
  );
  const old = stored('PersistentVolumeClaim', pvc(good));
  assertErrors(
    runUpdate('PersistentVolumeClaim', pvc({ ...good, storageClassName: 'fast' }), old).errs,
    [{ field: 'spec', type: 'Forbidden' }],
  );
});

test('limitranges and resourcequotas: quantities and names', () => {
  const lr = runCreate(
    'LimitRange',
    obj('LimitRange', {
      spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { cpu: '100m' } }] },
    }),
  );
  assertErrors(lr.errs, []);
  const item = (
    (lr.obj['spec'] as Record<string, any>).limits as Array<Record<string, unknown>>
  )[0]!;
  assert.deepEqual(item['default'], { cpu: '2' });
  assert.deepEqual(item['defaultRequest'], { cpu: '2' });
  assertErrors(
    runCreate(
      'LimitRange',
      obj('LimitRange', {
        spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { cpu: '2' } }] },
      }),
    ).errs,
    [
      {
        field: 'spec.limits[0].min[cpu]',
        type: 'Invalid',
        detail: 'min value 2 is greater than max value 1',
      },
      // default and defaultRequest were filled from max, so they sit below min too.
      {
        field: 'spec.limits[0].default[cpu]',
        type: 'Invalid',
        detail: 'min value 2 is greater than default value 1',
      },
      { field: 'spec.limits[0].defaultRequest[cpu]', type: 'Invalid' },
    ],
  );
  assertErrors(
    runCreate(
      'ResourceQuota',
      obj('ResourceQuota', {
        spec: { hard: { pods: '10', 'requests.cpu': '4', 'count/deployments.apps': '5' } },
      }),
    ).errs,
    [],
  );
  assertErrors(
    runCreate(
      'ResourceQuota',
      obj('ResourceQuota', { spec: { hard: { pods: '1.5', widgets: '1', memory: '-1Gi' } } }),
    ).errs,
    [
      { field: 'spec.hard[pods]', type: 'Invalid', detail: 'must be an integer' },
      {
        field: 'spec.hard[widgets]',
        type: 'Invalid',
        detail: 'must be a standard resource for quota',
      },
      { field: 'spec.hard[memory]', type: 'Invalid', detail: 'must be greater than or equal to 0' },
    ],
  );
});

test('events: namespace must match the involved object', () => {
  assertErrors(
    runCreate(
      'Event',
      obj(
        'Event',
        { involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Started' },
        'p.1',
      ),
    ).errs,
    [],
  );
  assertErrors(
    runCreate(
      'Event',
      obj('Event', { involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' } }, 'p.1'),
    ).errs,
    [
      {
        field: 'involvedObject.namespace',
        type: 'Invalid',
        detail: 'does not match event.namespace',
      },
    ],
  );
});

test('serviceaccounts: metadata rules', () => {
  assertErrors(runCreate('ServiceAccount', obj('ServiceAccount', {}, 'builder')).errs, []);
  assertErrors(runCreate('ServiceAccount', obj('ServiceAccount', {}, 'Builder')).errs, [
    { field: 'metadata.name', type: 'Invalid' },
  ]);
});
