import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_RESOURCES } from '../builtins.js';
import { printerFor } from './printer-for.js';

const NOW = new Date('2025-01-01T12:00:00Z');
const CREATED = '2025-01-01T11:55:00Z';
const G = 'admissionregistration.k8s.io';
const def = (kind: string) => BUILTIN_RESOURCES.find((d) => d.group === G && d.kind === kind)!;
const printer = (kind: string) => printerFor(def(kind));
const names = (kind: string) => printer(kind).columns.map((c) => c.name);
const meta = { name: 'x', creationTimestamp: CREATED };

describe('admissionregistration printers and definitions', () => {
  it('all four kinds are cluster-scoped, in api-extensions, without short names', () => {
    for (const kind of [
      'MutatingWebhookConfiguration',
      'ValidatingWebhookConfiguration',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ]) {
      const d = def(kind);
      assert.equal(d.namespaced, false, kind);
      assert.deepEqual(d.categories, ['api-extensions'], kind);
      assert.deepEqual(d.shortNames, [], kind);
      assert.equal(d.openapiName, `io.k8s.api.admissionregistration.v1.${kind}`);
    }
    assert.equal(def('ValidatingAdmissionPolicy').subresources.status, true);
    assert.equal(def('ValidatingAdmissionPolicyBinding').subresources.status, undefined);
    assert.equal(def('MutatingWebhookConfiguration').etcdResource, 'mutatingwebhookconfigurations');
  });

  it('webhook configurations: Name, Webhooks, Age', () => {
    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      assert.deepEqual(names(kind), ['Name', 'Webhooks', 'Age']);
      assert.deepEqual(printer(kind).row({ metadata: meta, webhooks: [{}, {}] }, NOW), [
        'x',
        2,
        '5m',
      ]);
      assert.deepEqual(printer(kind).row({ metadata: meta }, NOW), ['x', 0, '5m']);
    }
  });

  it('ValidatingAdmissionPolicy: Name, Validations, ParamKind, Age', () => {
    assert.deepEqual(names('ValidatingAdmissionPolicy'), [
      'Name',
      'Validations',
      'ParamKind',
      'Age',
    ]);
    const p = printer('ValidatingAdmissionPolicy');
    assert.deepEqual(p.row({ metadata: meta, spec: { validations: [{}] } }, NOW), [
      'x',
      1,
      '<unset>',
      '5m',
    ]);
    assert.deepEqual(
      p.row({ metadata: meta, spec: { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } }, NOW),
      ['x', 0, 'v1/ConfigMap', '5m'],
    );
  });

  it('ValidatingAdmissionPolicyBinding: Name, PolicyName, ParamRef, Age', () => {
    assert.deepEqual(names('ValidatingAdmissionPolicyBinding'), [
      'Name',
      'PolicyName',
      'ParamRef',
      'Age',
    ]);
    const p = printer('ValidatingAdmissionPolicyBinding');
    const row = (paramRef?: unknown) =>
      p.row({ metadata: meta, spec: { policyName: 'pol', paramRef } }, NOW)[2];
    assert.equal(row(), '<unset>');
    assert.equal(row({ name: 'cm', namespace: 'ns' }), 'ns/cm');
    assert.equal(row({ name: 'cm' }), '*/cm');
    assert.equal(
      row({
        selector: {
          matchLabels: { b: '2', a: '1' },
          matchExpressions: [{ key: 'k', operator: 'In', values: ['x', 'y'] }],
        },
      }),
      '&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:k,Operator:In,Values:[x y],},},}',
    );
    assert.deepEqual(p.row({ metadata: meta, spec: { policyName: 'pol' } }, NOW), [
      'x',
      'pol',
      '<unset>',
      '5m',
    ]);
  });
});
