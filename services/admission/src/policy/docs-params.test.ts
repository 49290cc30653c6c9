// The examples of https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
// behaving as documented.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePolicies } from './dispatcher.js';
import {
  MapParams,
  attributes,
  binding,
  deployment,
  inputs,
  namespace,
  policy,
} from './test-helpers.js';

describe('documentation: replicas limit', () => {
  const p = policy('demo-policy.example.com', {
    validations: [{ expression: 'object.spec.replicas <= 5' }],
  });
  const b = binding('demo-binding-test.example.com', 'demo-policy.example.com', {
    matchResources: { namespaceSelector: { matchLabels: { environment: 'test' } } },
  });
  const nss = [
    namespace('default', { environment: 'test' }),
    namespace('prod', { environment: 'prod' }),
  ];

  it('denies more than 5 replicas in a test namespace with kube status', async () => {
    const r = await evaluatePolicies(
      attributes({ object: deployment('nginx', 'default', 6) }),
      inputs([p], [b], nss),
    );
    const message =
      "ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5";
    assert.equal(r.error?.status.code, 422);
    assert.equal(r.error?.status.reason, 'Invalid');
    assert.equal(r.error?.status.message, `deployments.apps "nginx" is forbidden: ${message}`);
    assert.deepEqual(r.error?.status.details, {
      name: 'nginx',
      group: 'apps',
      kind: 'deployments',
      causes: [{ message }],
    });
  });

  it('admits 5 replicas, and 6 outside the selected namespaces', async () => {
    assert.equal(
      (
        await evaluatePolicies(
          attributes({ object: deployment('nginx', 'default', 5) }),
          inputs([p], [b], nss),
        )
      ).error,
      undefined,
    );
    assert.equal(
      (
        await evaluatePolicies(
          attributes({ object: deployment('nginx', 'prod', 6) }),
          inputs([p], [b], nss),
        )
      ).error,
      undefined,
    );
  });

  it('ignores requests the constraints do not match (DELETE, other resources)', async () => {
    const del = attributes({
      operation: 'DELETE',
      object: undefined,
      oldObject: deployment('nginx', 'default', 6),
      name: 'nginx',
      namespace: 'default',
    });
    assert.equal((await evaluatePolicies(del, inputs([p], [b], nss))).error, undefined);
    const pod = attributes({
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } },
      resource: { group: '', version: 'v1', resource: 'pods' },
      kind: { group: '', version: 'v1', kind: 'Pod' },
    });
    assert.equal((await evaluatePolicies(pod, inputs([p], [b], nss))).error, undefined);
  });
});

describe('documentation: parameter resources', () => {
  const configMapKind = { apiVersion: 'v1', kind: 'ConfigMap' };
  const p = policy('replicalimit-policy.example.com', {
    paramKind: configMapKind,
    validations: [
      {
        expression: 'object.spec.replicas <= int(params.data.maxReplicas)',
        messageExpression:
          "'object.spec.replicas must be no greater than ' + params.data.maxReplicas",
        reason: 'Invalid',
      },
    ],
  });
  const cm = (name: string, max: string, labels: Record<string, string> = {}) => ({
    metadata: { name, namespace: 'default', labels },
    data: { maxReplicas: max },
  });
  const params = new MapParams().add(
    configMapKind,
    true,
    cm('replica-limit-test.example.com', '3'),
    cm('other', '10', { tier: 'x' }),
    cm('other2', '2', { tier: 'x' }),
  );
  const nss = [namespace('default')];

  it('uses the referenced param and messageExpression', async () => {
    const b = binding('replicalimit-binding-test.example.com', 'replicalimit-policy.example.com', {
      paramRef: {
        name: 'replica-limit-test.example.com',
        namespace: 'default',
        parameterNotFoundAction: 'Deny',
      },
    });
    const r = await evaluatePolicies(
      attributes({ object: deployment('web', 'default', 4) }),
      inputs([p], [b], nss, params),
    );
    assert.equal(
      r.error?.message,
      `deployments.apps "web" is forbidden: ValidatingAdmissionPolicy 'replicalimit-policy.example.com' with binding 'replicalimit-binding-test.example.com' denied request: object.spec.replicas must be no greater than 3`,
    );
    assert.equal(
      (
        await evaluatePolicies(
          attributes({ object: deployment('web', 'default', 3) }),
          inputs([p], [b], nss, params),
        )
      ).error,
      undefined,
    );
  });

  it('defaults the param namespace to the request namespace and exposes kind', async () => {
    const p2 = policy('kind-check', {
      paramKind: configMapKind,
      validations: [{ expression: "params.kind == 'ConfigMap'" }],
    });
    const b = binding('b', 'kind-check', { paramRef: { name: 'replica-limit-test.example.com' } });
    assert.equal(
      (
        await evaluatePolicies(
          attributes({ object: deployment('web', 'default', 1) }),
          inputs([p2], [b], nss, params),
        )
      ).error,
      undefined,
    );
  });

  it('evaluates every param a selector picks', async () => {
    const b = binding('sel', 'replicalimit-policy.example.com', {
      paramRef: { selector: { matchLabels: { tier: 'x' } }, namespace: 'default' },
    });
    const r = await evaluatePolicies(
      attributes({ object: deployment('web', 'default', 5) }),
      inputs([p], [b], nss, params),
    );
    assert.match(r.error!.message, /no greater than 2$/);
  });

  it('parameterNotFoundAction Deny fails the binding; Allow admits', async () => {
    const deny = binding('b', 'replicalimit-policy.example.com', {
      paramRef: { name: 'missing', parameterNotFoundAction: 'Deny' },
    });
    const r = await evaluatePolicies(
      attributes({ object: deployment('web', 'default', 1) }),
      inputs([p], [deny], nss, params),
    );
    assert.equal(
      r.error?.message,
      "deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'replicalimit-policy.example.com' with binding 'b' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction",
    );
    assert.equal(r.error?.code, 422);
    const allow = binding('b', 'replicalimit-policy.example.com', {
      paramRef: { name: 'missing', parameterNotFoundAction: 'Allow' },
    });
    assert.equal(
      (
        await evaluatePolicies(
          attributes({ object: deployment('web', 'default', 100) }),
          inputs([p], [allow], nss, params),
        )
      ).error,
      undefined,
    );
  });

  it('an unknown paramKind is a configuration error under failurePolicy', async () => {
    const b = binding('b', 'replicalimit-policy.example.com', { paramRef: { name: 'x' } });
    const r = await evaluatePolicies(
      attributes({ object: deployment('web', 'default', 1) }),
      inputs([p], [b], nss, new MapParams()),
    );
    assert.match(
      r.error!.message,
      /failed to configure binding: paramKind kind `&ParamKind\{APIVersion:v1,Kind:ConfigMap,\}` not known$/,
    );
    const ignore = { ...p, spec: { ...p.spec, failurePolicy: 'Ignore' as const } };
    assert.equal(
      (
        await evaluatePolicies(
          attributes({ object: deployment('web', 'default', 1) }),
          inputs([ignore], [b], nss, new MapParams()),
        )
      ).error,
      undefined,
    );
  });
});
