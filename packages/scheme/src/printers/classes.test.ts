import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_RESOURCES } from '../builtins.js';
import { printerFor } from './printer-for.js';

const NOW = new Date('2025-01-01T12:00:00Z');
const CREATED = '2025-01-01T11:55:00Z';
const printer = (group: string, kind: string) =>
  printerFor(BUILTIN_RESOURCES.find((d) => d.group === group && d.kind === kind)!);
const names = (group: string, kind: string) => printer(group, kind).columns.map((c) => c.name);

describe('class printers', () => {
  it('PriorityClass: Name, Value, Global-Default, Age, PreemptionPolicy', () => {
    assert.deepEqual(names('scheduling.k8s.io', 'PriorityClass'), [
      'Name',
      'Value',
      'Global-Default',
      'Age',
      'PreemptionPolicy',
    ]);
    const row = printer('scheduling.k8s.io', 'PriorityClass').row(
      {
        metadata: { name: 'system-node-critical', creationTimestamp: CREATED },
        value: 2000001000,
        preemptionPolicy: 'PreemptLowerPriority',
      },
      NOW,
    );
    assert.deepEqual(row, [
      'system-node-critical',
      2000001000,
      false,
      '5m',
      'PreemptLowerPriority',
    ]);
  });

  it('StorageClass: defaults shown for unset fields, (default) marks the default class', () => {
    assert.deepEqual(names('storage.k8s.io', 'StorageClass'), [
      'Name',
      'Provisioner',
      'ReclaimPolicy',
      'VolumeBindingMode',
      'AllowVolumeExpansion',
      'Age',
    ]);
    const row = printer('storage.k8s.io', 'StorageClass').row(
      {
        metadata: {
          name: 'standard',
          creationTimestamp: CREATED,
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
        provisioner: 'rancher.io/local-path',
      },
      NOW,
    );
    assert.deepEqual(row, [
      'standard (default)',
      'rancher.io/local-path',
      'Delete',
      'Immediate',
      false,
      '5m',
    ]);
  });

  it('IngressClass: parameters as Kind.group/name', () => {
    assert.deepEqual(names('networking.k8s.io', 'IngressClass'), [
      'Name',
      'Controller',
      'Parameters',
      'Age',
    ]);
    const p = printer('networking.k8s.io', 'IngressClass');
    const meta = { name: 'nginx', creationTimestamp: CREATED };
    assert.deepEqual(p.row({ metadata: meta, spec: { controller: 'k8s.io/ingress-nginx' } }, NOW), [
      'nginx',
      'k8s.io/ingress-nginx',
      '<none>',
      '5m',
    ]);
    assert.deepEqual(
      p.row(
        {
          metadata: meta,
          spec: {
            controller: 'example.com/c',
            parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' },
          },
        },
        NOW,
      ),
      ['nginx', 'example.com/c', 'Params.k8s.example.com/p', '5m'],
    );
  });

  it('RuntimeClass: Name, Handler, Age', () => {
    const p = printer('node.k8s.io', 'RuntimeClass');
    assert.deepEqual(
      p.columns.map((c) => c.name),
      ['Name', 'Handler', 'Age'],
    );
    assert.deepEqual(
      p.row({ metadata: { name: 'gvisor', creationTimestamp: CREATED }, handler: 'runsc' }, NOW),
      ['gvisor', 'runsc', '5m'],
    );
  });
});
