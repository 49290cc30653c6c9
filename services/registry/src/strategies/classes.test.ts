import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@splitplane/scheme';
import { assertErrors, meta, runCreate, runUpdate, stored } from './internal/test-support.js';

const pc = (name: string, body: Record<string, unknown>): KubeObject => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: meta(name),
  ...body,
});
const sc = (body: Record<string, unknown>, name = 'fast'): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: meta(name),
  ...body,
});
const ic = (spec: Record<string, unknown>, name = 'nginx'): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: meta(name),
  spec,
});
const rc = (body: Record<string, unknown>, name = 'gvisor'): KubeObject => ({
  apiVersion: 'node.k8s.io/v1',
  kind: 'RuntimeClass',
  metadata: meta(name),
  ...body,
});

test('PriorityClass: preemptionPolicy defaults to PreemptLowerPriority; user values up to 1e9', () => {
  const { obj, errs } = runCreate('PriorityClass', pc('high', { value: 1_000_000_000 }));
  assertErrors(errs, []);
  assert.equal(obj['preemptionPolicy'], 'PreemptLowerPriority');
  assertErrors(runCreate('PriorityClass', pc('high', { value: 1_000_000_001 })).errs, [
    {
      field: 'value',
      type: 'Forbidden',
      detail: 'maximum allowed value of a user defined priority is 1000000000',
    },
  ]);
  assertErrors(
    runCreate('PriorityClass', pc('low', { value: -5, preemptionPolicy: 'Sometimes' })).errs,
    [
      {
        field: 'preemptionPolicy',
        type: 'NotSupported',
        detail: 'supported values: "PreemptLowerPriority", "Never"',
      },
    ],
  );
});

test('PriorityClass: the system- prefix is reserved for the known system classes', () => {
  const reserved =
    "priority class names with 'system-' prefix are reserved for system use only. error: ";
  assertErrors(runCreate('PriorityClass', pc('system-mine', { value: 10 })).errs, [
    {
      field: 'metadata.name',
      type: 'Forbidden',
      detail: `${reserved}system-mine is not a known system priority class`,
    },
  ]);
  assertErrors(runCreate('PriorityClass', pc('system-node-critical', { value: 10 })).errs, [
    {
      field: 'metadata.name',
      type: 'Forbidden',
      detail: `${reserved}value of system-node-critical PriorityClass must be 2000001000`,
    },
  ]);
  assertErrors(
    runCreate(
      'PriorityClass',
      pc('system-cluster-critical', { value: 2_000_000_000, globalDefault: true }),
    ).errs,
    [
      {
        field: 'metadata.name',
        type: 'Forbidden',
        detail: `${reserved}globalDefault of system-cluster-critical PriorityClass must be false`,
      },
    ],
  );
  assertErrors(
    runCreate('PriorityClass', pc('system-cluster-critical', { value: 2_000_000_000 })).errs,
    [],
  );
});

test('PriorityClass: value and preemptionPolicy are immutable', () => {
  const old = stored('PriorityClass', pc('high', { value: 100 }));
  assertErrors(runUpdate('PriorityClass', { ...old, description: 'now documented' }, old).errs, []);
  assertErrors(
    runUpdate('PriorityClass', { ...old, value: 101, preemptionPolicy: 'Never' }, old).errs,
    [
      { field: 'value', type: 'Forbidden', detail: 'may not be changed in an update.' },
      { field: 'preemptionPolicy', type: 'Invalid', detail: 'field is immutable' },
    ],
  );
});

test('StorageClass: defaults, required provisioner, supported policies and modes', () => {
  const { obj, errs } = runCreate(
    'StorageClass',
    sc({ provisioner: 'kubernetes.io/no-provisioner' }),
  );
  assertErrors(errs, []);
  assert.equal(obj['reclaimPolicy'], 'Delete');
  assert.equal(obj['volumeBindingMode'], 'Immediate');
  assertErrors(runCreate('StorageClass', sc({})).errs, [
    { field: 'provisioner', type: 'Required' },
  ]);
  assertErrors(
    runCreate(
      'StorageClass',
      sc({ provisioner: 'bad provisioner', reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' }),
    ).errs,
    [
      {
        field: 'provisioner',
        type: 'Invalid',
        detail: /name part must consist of alphanumeric characters/,
      },
      {
        field: 'reclaimPolicy',
        type: 'NotSupported',
        detail: 'supported values: "Delete", "Retain"',
      },
      {
        field: 'volumeBindingMode',
        type: 'NotSupported',
        detail: 'supported values: "Immediate", "WaitForFirstConsumer"',
      },
    ],
  );
  assertErrors(
    runCreate(
      'StorageClass',
      sc({
        provisioner: 'csi.example.com',
        allowedTopologies: [
          {
            matchLabelExpressions: [
              { key: 'topology.kubernetes.io/zone', values: ['a', 'a'] },
              { key: 'topology.kubernetes.io/zone', values: [] },
            ],
          },
        ],
      }),
    ).errs,
    [
      { field: 'allowedTopologies[0].matchLabelExpressions[0].values[1]', type: 'Duplicate' },
      {
        field: 'allowedTopologies[0].matchLabelExpressions[1].values',
        type: 'Required',
        detail: 'must specify as least one value',
      },
      { field: 'allowedTopologies[0].matchLabelExpressions[1].key', type: 'Duplicate' },
    ],
  );
});

test('StorageClass: a topology term may not repeat an earlier one', () => {
  const zone = (...values: string[]) => ({
    matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values }],
  });
  const body = (terms: unknown[]) =>
    sc({ provisioner: 'csi.example.com', allowedTopologies: terms });
  assertErrors(runCreate('StorageClass', body([zone('a', 'b'), zone('c')])).errs, []);
  assertErrors(runCreate('StorageClass', body([zone('a', 'b'), zone('c'), zone('b', 'a')])).errs, [
    { field: 'allowedTopologies[2].matchLabelExpressions', type: 'Duplicate' },
  ]);
});

test('StorageClass: provisioner, parameters, reclaimPolicy and binding mode are immutable', () => {
  const old = stored(
    'StorageClass',
    sc({ provisioner: 'csi.example.com', parameters: { a: '1' } }),
  );
  assertErrors(runUpdate('StorageClass', { ...old, allowVolumeExpansion: true }, old).errs, []);
  assertErrors(
    runUpdate(
      'StorageClass',
      {
        ...old,
        provisioner: 'other.example.com',
        parameters: { a: '2' },
        reclaimPolicy: 'Retain',
        volumeBindingMode: 'WaitForFirstConsumer',
      },
      old,
    ).errs,
    [
      { field: 'provisioner', type: 'Forbidden', detail: 'updates to provisioner are forbidden.' },
      { field: 'parameters', type: 'Forbidden', detail: 'updates to parameters are forbidden.' },
      {
        field: 'reclaimPolicy',
        type: 'Forbidden',
        detail: 'updates to reclaimPolicy are forbidden.',
      },
      { field: 'volumeBindingMode', type: 'Invalid', detail: 'field is immutable' },
    ],
  );
});

test('IngressClass: controller is a required, immutable domain-prefixed path', () => {
  const { obj, errs } = runCreate(
    'IngressClass',
    ic({
      controller: 'example.com/ingress-controller',
      parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external' },
    }),
  );
  assertErrors(errs, []);
  assert.equal((obj['spec'] as { parameters: { scope: string } }).parameters.scope, 'Cluster');
  assert.equal(obj.metadata?.generation, 1);
  assertErrors(runCreate('IngressClass', ic({})).errs, [
    { field: 'spec.controller', type: 'Required' },
  ]);
  assertErrors(runCreate('IngressClass', ic({ controller: 'nginx' })).errs, [
    {
      field: 'spec.controller',
      type: 'Invalid',
      detail: 'must be a domain-prefixed path (such as "acme.io/foo")',
    },
  ]);
  assertErrors(
    runCreate(
      'IngressClass',
      ic({
        controller: 'example.com/x',
        parameters: { kind: '', name: 'p', scope: 'Namespace' },
      }),
    ).errs,
    [
      { field: 'spec.parameters.kind', type: 'Required', detail: 'kind is required' },
      {
        field: 'spec.parameters.namespace',
        type: 'Required',
        detail: "`parameters.scope` is set to 'Namespace'",
      },
    ],
  );
  const old = stored('IngressClass', ic({ controller: 'example.com/a' }));
  assertErrors(
    runUpdate('IngressClass', { ...old, spec: { controller: 'example.com/b' } }, old).errs,
    [{ field: 'spec.controller', type: 'Invalid', detail: 'field is immutable' }],
  );
});

test('RuntimeClass: handler is a DNS label and immutable', () => {
  assertErrors(runCreate('RuntimeClass', rc({ handler: 'runsc' })).errs, []);
  assertErrors(runCreate('RuntimeClass', rc({})).errs, [
    { field: 'handler', type: 'Invalid', detail: /RFC 1123 label/ },
  ]);
  assertErrors(runCreate('RuntimeClass', rc({ handler: 'Run_SC' })).errs, [
    { field: 'handler', type: 'Invalid', detail: /a lowercase RFC 1123 label must consist of/ },
  ]);
  assertErrors(
    runCreate('RuntimeClass', rc({ handler: 'runsc', overhead: { podFixed: { cpu: '-1' } } })).errs,
    [{ field: 'overhead.limits[cpu]', type: 'Invalid', detail: /greater than or equal to 0/ }],
  );
  const toleration = { key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' };
  assertErrors(
    runCreate(
      'RuntimeClass',
      rc({
        handler: 'runsc',
        scheduling: {
          nodeSelector: { 'sandbox/ok': 'yes' },
          tolerations: [toleration, toleration, { operator: 'Equal', value: 'x' }],
        },
      }),
    ).errs,
    [
      { field: 'scheduling.tolerations[1]', type: 'Duplicate' },
      {
        field: 'scheduling.tolerations[2].operator',
        type: 'Invalid',
        detail:
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
      },
    ],
  );
  const old = stored('RuntimeClass', rc({ handler: 'runsc' }));
  assertErrors(runUpdate('RuntimeClass', { ...old, handler: 'kata' }, old).errs, [
    { field: 'handler', type: 'Invalid', detail: 'field is immutable' },
  ]);
});
