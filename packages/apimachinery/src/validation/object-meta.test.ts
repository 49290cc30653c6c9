import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  nameIsDNSSubdomain,
  validateLabelSelector,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './index.js';

const strings = (errs: { toString(): string }[]) => errs.map((e) => e.toString());
const ns = { namespaced: true, nameValidator: nameIsDNSSubdomain };

describe('validateObjectMeta', () => {
  it('accepts a plain object', () => {
    assert.deepEqual(
      validateObjectMeta({ name: 'web', namespace: 'default', labels: { app: 'web' } }, ns),
      [],
    );
  });

  it('requires a name or generateName', () => {
    assert.deepEqual(strings(validateObjectMeta({ namespace: 'default' }, ns)), [
      'metadata.name: Required value: name or generateName is required',
    ]);
  });

  it('checks the name format', () => {
    const errs = validateObjectMeta({ name: 'Web', namespace: 'default' }, ns);
    assert.equal(errs.length, 1);
    assert.match(
      errs[0]!.toString(),
      /^metadata\.name: Invalid value: "Web": a lowercase RFC 1123 subdomain/,
    );
    assert.equal(errs[0]!.toCause().reason, 'FieldValueInvalid');
    assert.equal(errs[0]!.toCause().field, 'metadata.name');
  });

  it('handles namespaces by scope', () => {
    assert.deepEqual(strings(validateObjectMeta({ name: 'a' }, ns)), [
      'metadata.namespace: Required value',
    ]);
    assert.deepEqual(
      strings(
        validateObjectMeta(
          { name: 'a', namespace: 'x' },
          { namespaced: false, nameValidator: nameIsDNSSubdomain },
        ),
      ),
      ['metadata.namespace: Forbidden: not allowed on this type'],
    );
    assert.match(
      strings(validateObjectMeta({ name: 'a', namespace: 'a.b' }, ns))[0]!,
      /must not contain dots/,
    );
  });

  it('checks labels, annotations, finalizers and owners', () => {
    const errs = strings(
      validateObjectMeta(
        {
          name: 'a',
          namespace: 'default',
          generation: -1,
          labels: { 'bad key': 'v', ok: 'bad value' },
          annotations: { 'Example.com/Key': 'fine', 'a/b/c': 'x' },
          finalizers: ['example.com/f', 'bad/fin/alizer', 'orphan', 'foregroundDeletion'],
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true },
            { apiVersion: '', kind: '', name: '', uid: '', controller: true },
          ],
        },
        ns,
      ),
    );
    assert.deepEqual(
      errs.map((e) => e.split(':').slice(0, 3).join(':')),
      [
        'metadata.generation: Invalid value: -1',
        'metadata.labels: Invalid value: "bad key"',
        'metadata.labels: Invalid value: "bad value"',
        'metadata.annotations: Invalid value: "a/b/c"',
        'metadata.ownerReferences.apiVersion: Invalid value: ""',
        'metadata.ownerReferences.kind: Invalid value: ""',
        'metadata.ownerReferences.name: Invalid value: ""',
        'metadata.ownerReferences.uid: Invalid value: ""',
        'metadata.ownerReferences: Invalid value: [][{"apiVersion"',
        'metadata.finalizers: Invalid value: "bad/fin/alizer"',
        'metadata.finalizers: Invalid value: []["example.com/f","bad/fin/alizer","orphan","foregroundDeletion"]',
      ],
    );
    assert.ok(errs.includes('metadata.ownerReferences.uid: Invalid value: "": must not be empty'));
    assert.ok(
      errs.some((e) => e.endsWith('finalizer orphan and foregroundDeletion cannot be both set')),
    );
    assert.ok(errs.some((e) => e.endsWith('Found "true" in references for ReplicaSet/rs and /')));
  });

  it('limits total annotation size to 256KiB', () => {
    const big = { a: 'x'.repeat(256 * 1024) };
    assert.deepEqual(
      strings(validateObjectMeta({ name: 'a', namespace: 'd', annotations: big }, ns)),
      ['metadata.annotations: Too long: may not be more than 262144 bytes'],
    );
  });

  it('bans events as owners', () => {
    const errs = strings(
      validateObjectMeta(
        {
          name: 'a',
          namespace: 'd',
          ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }],
        },
        ns,
      ),
    );
    assert.equal(errs.length, 1);
    assert.match(errs[0]!, /\/v1, Kind=Event is disallowed from being an owner$/);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old = {
    name: 'a',
    namespace: 'd',
    uid: 'u1',
    resourceVersion: '5',
    generation: 2,
    creationTimestamp: '2024-01-01T00:00:00Z',
  };

  it('accepts an unchanged update', () => {
    assert.deepEqual(validateObjectMetaUpdate({ ...old }, old), []);
  });

  it('rejects changes to immutable fields', () => {
    const errs = strings(
      validateObjectMetaUpdate(
        {
          ...old,
          name: 'b',
          uid: 'u2',
          resourceVersion: '',
          generation: 1,
          creationTimestamp: null,
        },
        old,
      ),
    );
    assert.deepEqual(errs, [
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      'metadata.generation: Invalid value: 1: must not be decremented',
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
      'metadata.creationTimestamp: Invalid value: null: field is immutable',
    ]);
  });

  it('forbids new finalizers once deleting', () => {
    const deleting = { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a'] };
    assert.deepEqual(
      strings(validateObjectMetaUpdate({ ...deleting, finalizers: ['a', 'c', 'b'] }, deleting)),
      [
        'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b", "c"}',
      ],
    );
  });
});

describe('validateLabelSelector', () => {
  it('reports kube field paths and messages', () => {
    const errs = strings(
      validateLabelSelector(
        {
          matchLabels: { app: 'web' },
          matchExpressions: [
            { key: 'a', operator: 'In', values: [] },
            { key: 'b', operator: 'Exists', values: ['x'] },
            { key: 'c', operator: 'Gt', values: ['1'] },
            { key: 'd', operator: 'NotIn', values: ['-bad'] },
          ],
        },
        {},
        'spec.selector',
      ),
    );
    assert.deepEqual(errs.slice(0, 3), [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Gt": not a valid selector operator',
    ]);
    assert.match(
      errs[3]!,
      /^spec\.selector\.matchExpressions\[3\]\.values\[0\]: Invalid value: "-bad": a valid label/,
    );
    assert.equal(errs.length, 4);
  });
});
