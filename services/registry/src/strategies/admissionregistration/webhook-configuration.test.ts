import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertErrors, runCreate, runUpdate, stored } from '../internal/test-support.js';
import { binding, hook, mwc, vap, vwc } from './test-fixtures.js';

test('webhooks: kube v1 defaults (Fail, Equivalent, {} selectors, 10s, Never, scope *, port 443)', () => {
  const { obj, errs } = runCreate('MutatingWebhookConfiguration', mwc([hook()]));
  assertErrors(errs, []);
  const h = (obj['webhooks'] as Record<string, unknown>[])[0]!;
  assert.equal(h['failurePolicy'], 'Fail');
  assert.equal(h['matchPolicy'], 'Equivalent');
  assert.deepEqual(h['namespaceSelector'], {});
  assert.deepEqual(h['objectSelector'], {});
  assert.equal(h['timeoutSeconds'], 10);
  assert.equal(h['reinvocationPolicy'], 'Never');
  assert.equal((h['rules'] as Record<string, unknown>[])[0]!['scope'], '*');
  assert.equal((h['clientConfig'] as { service: { port: number } }).service.port, 443);
  assert.equal(obj.metadata?.generation, 1);
  const v = runCreate('ValidatingWebhookConfiguration', vwc([hook()])).obj;
  assert.equal((v['webhooks'] as Record<string, unknown>[])[0]!['reinvocationPolicy'], undefined);
});

test('webhooks: name, sideEffects, review versions, clientConfig, timeout, duplicates', () => {
  assertErrors(
    runCreate(
      'ValidatingWebhookConfiguration',
      vwc([
        hook({ name: 'example.com', sideEffects: undefined, admissionReviewVersions: [] }),
        hook({ sideEffects: 'Some', timeoutSeconds: 31, clientConfig: {} }),
        hook({ clientConfig: { url: 'http://hooks.example.com/x?y=1' } }),
        hook({
          admissionReviewVersions: ['v2'],
          matchConditions: [
            { name: 'a', expression: 'true' },
            { name: 'a', expression: '' },
          ],
        }),
      ]),
    ).errs,
    [
      {
        field: 'webhooks[0].name',
        type: 'Invalid',
        detail: 'should be a domain with at least three segments separated by dots',
      },
      {
        field: 'webhooks[0].sideEffects',
        type: 'Required',
        detail: 'must specify one of None, NoneOnDryRun',
      },
      {
        field: 'webhooks[0].admissionReviewVersions',
        type: 'Required',
        detail: 'must specify one of v1, v1beta1',
      },
      {
        field: 'webhooks[1].sideEffects',
        type: 'NotSupported',
        detail: 'supported values: "None", "NoneOnDryRun"',
      },
      {
        field: 'webhooks[1].timeoutSeconds',
        type: 'Invalid',
        detail: 'the timeout value must be between 1 and 30 seconds',
      },
      {
        field: 'webhooks[1].clientConfig',
        type: 'Required',
        detail: 'exactly one of url or service is required',
      },
      {
        field: 'webhooks[2].clientConfig.url',
        type: 'Invalid',
        detail: "'https' is the only allowed URL scheme; desired format: https://host[/path]",
      },
      {
        field: 'webhooks[2].clientConfig.url',
        type: 'Invalid',
        detail: 'query parameters are not permitted in the URL',
      },
      {
        field: 'webhooks[3].admissionReviewVersions',
        type: 'Invalid',
        detail: 'must include at least one of v1, v1beta1',
      },
      { field: 'webhooks[2].name', type: 'Duplicate' },
      { field: 'webhooks[3].matchConditions[1].expression', type: 'Required' },
      { field: 'webhooks[3].matchConditions[1].name', type: 'Duplicate' },
      { field: 'webhooks[3].name', type: 'Duplicate' },
    ],
  );
});

test('webhooks: rules and service validation', () => {
  assertErrors(
    runCreate(
      'MutatingWebhookConfiguration',
      mwc([
        hook({
          reinvocationPolicy: 'Always',
          rules: [
            {
              operations: ['*', 'PATCH'],
              apiGroups: [],
              apiVersions: ['v1'],
              resources: ['*', 'pods'],
              scope: 'Global',
            },
          ],
          clientConfig: { service: { name: '', namespace: 'default', port: 70000, path: 'x//y' } },
        }),
      ]),
    ).errs,
    [
      {
        field: 'webhooks[0].reinvocationPolicy',
        type: 'NotSupported',
        detail: 'supported values: "IfNeeded", "Never"',
      },
      {
        field: 'webhooks[0].rules[0].operations',
        type: 'Invalid',
        detail: "if '*' is present, must not specify other operations",
      },
      { field: 'webhooks[0].rules[0].operations[1]', type: 'NotSupported' },
      { field: 'webhooks[0].rules[0].apiGroups', type: 'Required' },
      {
        field: 'webhooks[0].rules[0].resources',
        type: 'Invalid',
        detail: "if '*' is present, must not specify other resources without subresources",
      },
      {
        field: 'webhooks[0].rules[0].scope',
        type: 'NotSupported',
        detail: 'supported values: "*", "Cluster", "Namespaced"',
      },
      {
        field: 'webhooks[0].clientConfig.service.name',
        type: 'Required',
        detail: 'service name is required',
      },
      {
        field: 'webhooks[0].clientConfig.service.port',
        type: 'Invalid',
        detail: 'port is not valid: must be between 1 and 65535, inclusive',
      },
      {
        field: 'webhooks[0].clientConfig.service.path',
        type: 'Invalid',
        detail: "must start with a '/'",
      },
      {
        field: 'webhooks[0].clientConfig.service.path',
        type: 'Invalid',
        detail: 'segment[1] may not be empty',
      },
      {
        field: 'webhooks[0].clientConfig.service.path',
        type: 'Invalid',
        detail: 'segment[0] may not be empty',
      },
    ],
  );
});

test('webhooks: generation bumps only when webhooks change; update keeps old leniency', () => {
  const old = stored('ValidatingWebhookConfiguration', vwc([hook()]));
  const same = runUpdate(
    'ValidatingWebhookConfiguration',
    { ...old, metadata: { ...old.metadata, labels: { a: 'b' } } },
    old,
  );
  assertErrors(same.errs, []);
  assert.equal(same.obj.metadata?.generation, 1);
  const changed = runUpdate(
    'ValidatingWebhookConfiguration',
    vwc([hook({ timeoutSeconds: 5 })]),
    old,
  );
  assertErrors(changed.errs, []);
  assert.equal(changed.obj.metadata?.generation, 2);
  // An object stored with side effects "Some" (as older versions allowed) stays updatable.
  const legacy = structuredClone(old);
  (legacy['webhooks'] as Record<string, unknown>[])[0]!['sideEffects'] = 'Some';
  assertErrors(runUpdate('ValidatingWebhookConfiguration', legacy, legacy).errs, []);
});

test('wrongly-typed selectors are field errors, never a crash', () => {
  const errs = runCreate(
    'ValidatingWebhookConfiguration',
    vwc([
      hook({
        namespaceSelector: { matchExpressions: 'x' },
        objectSelector: { matchExpressions: [null] },
      }),
    ]),
  ).errs;
  assertErrors(errs, [
    {
      field: 'webhooks[0].namespaceSelector.matchExpressions',
      type: 'Invalid',
      detail: 'must be a list',
    },
    {
      field: 'webhooks[0].objectSelector.matchExpressions[0]',
      type: 'Invalid',
      detail: 'must be an object',
    },
  ]);
  assertErrors(
    runCreate(
      'ValidatingAdmissionPolicyBinding',
      binding({ paramRef: { selector: { matchLabels: 5 }, parameterNotFoundAction: 'Deny' } }),
    ).errs,
    [
      {
        field: 'spec.paramRef.selector.matchLabels',
        type: 'Invalid',
        detail: 'must be a map of strings',
      },
    ],
  );
});

test('CEL expressions are compiled on write, as kube does', () => {
  assertErrors(
    runCreate(
      'ValidatingAdmissionPolicy',
      vap({
        validations: [
          { expression: 'object.spec.replicas <' },
          { expression: '1 + 1' },
          { expression: 'true', messageExpression: '42' },
        ],
        variables: [{ name: 'x', expression: 'nosuch(object)' }],
        auditAnnotations: [{ key: 'k', valueExpression: "'ok'" }],
      }),
    ).errs,
    [
      { field: 'spec.validations[0].expression', type: 'Invalid', detail: /^compilation failed: / },
      { field: 'spec.validations[1].expression', type: 'Invalid', detail: 'must evaluate to bool' },
      {
        field: 'spec.validations[2].messageExpression',
        type: 'Invalid',
        detail: 'must evaluate to string',
      },
      { field: 'spec.variables[0].expression', type: 'Invalid', detail: /^compilation failed: / },
    ],
  );
  assertErrors(
    runCreate(
      'ValidatingWebhookConfiguration',
      vwc([
        hook({ matchConditions: [{ name: 'bad', expression: "object.metadata.name == 'x' &&" }] }),
      ]),
    ).errs,
    [
      {
        field: 'webhooks[0].matchConditions[0].expression',
        type: 'Invalid',
        detail: /^compilation failed: /,
      },
    ],
  );
  assertErrors(
    runCreate(
      'ValidatingAdmissionPolicy',
      vap({
        validations: [
          {
            expression:
              "object.spec.containers.all(c, c.image.startsWith('registry.example.com/'))",
            messageExpression: "'bad image in ' + object.metadata.name",
          },
        ],
      }),
    ).errs,
    [],
  );
});
