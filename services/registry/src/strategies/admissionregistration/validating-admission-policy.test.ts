import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@splitplane/scheme';
import { strategyFor } from '../registry.js';
import { assertErrors, defOf, runCreate, runUpdate, stored } from '../internal/test-support.js';
import { binding, rule, vap } from './test-fixtures.js';

test('ValidatingAdmissionPolicy: defaults, generation, status subresource', () => {
  const { obj, errs } = runCreate('ValidatingAdmissionPolicy', { ...vap({}), status: { x: 1 } });
  assertErrors(errs, []);
  const spec = obj['spec'] as Record<string, unknown>;
  assert.equal(spec['failurePolicy'], 'Fail');
  assert.deepEqual(spec['matchConstraints'], {
    resourceRules: [{ ...rule, scope: '*' }],
    matchPolicy: 'Equivalent',
    namespaceSelector: {},
    objectSelector: {},
  });
  assert.equal(obj['status'], undefined);
  assert.equal(obj.metadata?.generation, 1);

  const old: KubeObject = {
    ...stored('ValidatingAdmissionPolicy', vap({})),
    status: { observedGeneration: 1 },
  };
  const upd = runUpdate(
    'ValidatingAdmissionPolicy',
    { ...vap({ failurePolicy: 'Ignore' }), status: { bogus: true } },
    old,
  );
  assertErrors(upd.errs, []);
  assert.equal(upd.obj.metadata?.generation, 2);
  assert.deepEqual(upd.obj['status'], { observedGeneration: 1 });

  const s = strategyFor(defOf('ValidatingAdmissionPolicy'));
  const st = structuredClone({
    ...vap({ failurePolicy: 'Ignore' }),
    status: { observedGeneration: 1, typeChecking: {} },
  }) as KubeObject;
  st.metadata = { ...old.metadata };
  s.prepareForStatusUpdate(st, old);
  assert.deepEqual(st['spec'], old['spec'], 'a status write keeps the stored spec');
  assert.deepEqual(st['status'], { observedGeneration: 1, typeChecking: {} });
  assertErrors(s.validateStatusUpdate!(st, old), []);
  const bad = { ...st, status: { typeChecking: { expressionWarnings: [{ fieldRef: '' }] } } };
  assertErrors(s.validateStatusUpdate!(bad, old), [
    { field: 'status.typeChecking.expressionWarnings[0].warning', type: 'Required' },
    { field: 'status.typeChecking.expressionWarnings[0].fieldRef', type: 'Required' },
  ]);
});

test('ValidatingAdmissionPolicy: validation errors', () => {
  const msg = 'validations or auditAnnotations must contain at least one item';
  assertErrors(runCreate('ValidatingAdmissionPolicy', vap({ validations: [] })).errs, [
    { field: 'spec.validations', type: 'Required', detail: msg },
    { field: 'spec.auditAnnotations', type: 'Required', detail: msg },
  ]);
  assertErrors(
    runCreate(
      'ValidatingAdmissionPolicy',
      vap({
        failurePolicy: 'Sometimes',
        paramKind: { apiVersion: 'v1' },
        matchConstraints: { resourceRules: [] },
        validations: [{ expression: ' ', reason: 'Teapot', message: 'a\nb' }],
        variables: [{ name: 'if', expression: 'object.x' }],
      }),
    ).errs,
    [
      {
        field: 'spec.failurePolicy',
        type: 'NotSupported',
        detail: 'supported values: "Fail", "Ignore"',
      },
      { field: 'spec.paramKind.kind', type: 'Required' },
      { field: 'spec.matchConstraints.resourceRules', type: 'Required' },
      {
        field: 'spec.validations[0].expression',
        type: 'Required',
        detail: 'expression is not specified',
      },
      {
        field: 'spec.validations[0].message',
        type: 'Invalid',
        detail: 'message must not contain line breaks',
      },
      { field: 'spec.validations[0].reason', type: 'NotSupported' },
      {
        field: 'spec.variables[0].name',
        type: 'Invalid',
        detail: 'name is not a valid CEL identifier',
      },
    ],
  );
  assertErrors(runCreate('ValidatingAdmissionPolicy', vap({ matchConstraints: null })).errs, [
    { field: 'spec.matchConstraints', type: 'Required' },
  ]);
});

test('ValidatingAdmissionPolicyBinding: policyName, validationActions, paramRef', () => {
  const ok = runCreate('ValidatingAdmissionPolicyBinding', binding({ matchResources: {} }));
  assertErrors(ok.errs, []);
  assert.deepEqual((ok.obj['spec'] as Record<string, unknown>)['matchResources'], {
    matchPolicy: 'Equivalent',
    namespaceSelector: {},
    objectSelector: {},
  });
  assertErrors(
    runCreate(
      'ValidatingAdmissionPolicyBinding',
      binding({ policyName: '', validationActions: [] }),
    ).errs,
    [
      { field: 'spec.policyName', type: 'Required' },
      {
        field: 'spec.validationActions',
        type: 'Required',
        detail: 'at least one validation action is required',
      },
    ],
  );
  assertErrors(
    runCreate(
      'ValidatingAdmissionPolicyBinding',
      binding({
        validationActions: ['Deny', 'Warn', 'Deny', 'Log'],
        paramRef: { name: 'cm', selector: {} },
      }),
    ).errs,
    [
      { field: 'spec.validationActions[2]', type: 'Duplicate' },
      {
        field: 'spec.validationActions[3]',
        type: 'NotSupported',
        detail: 'supported values: "Audit", "Deny", "Warn"',
      },
      {
        field: 'spec.validationActions',
        type: 'Invalid',
        detail:
          'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
      },
      {
        field: 'spec.paramRef.name',
        type: 'Forbidden',
        detail: 'name and selector are mutually exclusive',
      },
      {
        field: 'spec.paramRef.selector',
        type: 'Forbidden',
        detail: 'name and selector are mutually exclusive',
      },
      { field: 'spec.paramRef.parameterNotFoundAction', type: 'Required' },
    ],
  );
  const old = stored('ValidatingAdmissionPolicyBinding', binding({}));
  const upd = runUpdate(
    'ValidatingAdmissionPolicyBinding',
    binding({ validationActions: ['Warn'] }),
    old,
  );
  assertErrors(upd.errs, []);
  assert.equal(upd.obj.metadata?.generation, 2);
});
