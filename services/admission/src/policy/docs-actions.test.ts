// More examples of https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
// behaving as documented.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePolicies, VALIDATION_FAILURE_ANNOTATION } from './dispatcher.js';
import { attributes, binding, deployment, inputs, namespace, policy } from './test-helpers.js';

describe('documentation: validation actions and audit annotations', () => {
  const p = policy('demo-policy.example.com', {
    validations: [{ expression: 'object.spec.replicas <= 5', message: 'too many replicas' }],
    auditAnnotations: [
      {
        key: 'high-replica-count',
        valueExpression:
          "object.spec.replicas > 50 ? 'Deployment spec.replicas set to ' + string(object.spec.replicas) : dyn(null)",
      },
    ],
  });
  const nss = [namespace('default')];

  it('Warn and Audit admit with a warning and the validation_failure annotation', async () => {
    const b = binding('demo-binding', 'demo-policy.example.com', {
      validationActions: ['Warn', 'Audit'],
    });
    const r = await evaluatePolicies(
      attributes({ object: deployment('web', 'default', 60) }),
      inputs([p], [b], nss),
    );
    assert.equal(r.error, undefined);
    assert.deepEqual(r.warnings, [
      "Validation failed for ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding': too many replicas",
    ]);
    assert.deepEqual(JSON.parse(r.auditAnnotations[VALIDATION_FAILURE_ANNOTATION]!), [
      {
        message: 'too many replicas',
        policy: 'demo-policy.example.com',
        binding: 'demo-binding',
        expressionIndex: 0,
        validationActions: ['Warn', 'Audit'],
      },
    ]);
    assert.equal(
      r.auditAnnotations['demo-policy.example.com/high-replica-count'],
      'Deployment spec.replicas set to 60',
    );
  });

  it('null audit values are left out; Deny + Warn both apply', async () => {
    const b = binding('demo-binding', 'demo-policy.example.com', {
      validationActions: ['Deny', 'Warn'],
    });
    const r = await evaluatePolicies(
      attributes({ object: deployment('web', 'default', 6) }),
      inputs([p], [b], nss),
    );
    assert.equal(r.error?.code, 422);
    assert.equal(r.warnings.length, 1);
    assert.deepEqual(r.auditAnnotations, {});
  });
});

describe('documentation: matchConditions', () => {
  const p = policy('demo-policy.example.com', {
    matchConstraints: {
      resourceRules: [
        {
          apiGroups: ['*'],
          apiVersions: ['*'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['*'],
        },
      ],
    },
    matchConditions: [
      {
        name: 'exclude-leases',
        expression:
          '!(request.resource.group == "coordination.k8s.io" && request.resource.resource == "leases")',
      },
      {
        name: 'exclude-kubelet-requests',
        expression: '!("system:nodes" in request.userInfo.groups)',
      },
      { name: 'rbac', expression: 'request.resource.group != "rbac.authorization.k8s.io"' },
    ],
    validations: [
      {
        expression: "!object.metadata.name.contains('demo') || object.metadata.namespace == 'demo'",
      },
    ],
  });
  const b = binding('demo-binding', 'demo-policy.example.com');
  const nss = [namespace('default'), namespace('demo')];

  it('validates requests all conditions match', async () => {
    const r = await evaluatePolicies(
      attributes({ object: deployment('demo-app', 'default', 1) }),
      inputs([p], [b], nss),
    );
    assert.match(
      r.error!.message,
      /failed expression: !object\.metadata\.name\.contains\('demo'\)/,
    );
    assert.equal(
      (
        await evaluatePolicies(
          attributes({ object: deployment('demo-app', 'demo', 1) }),
          inputs([p], [b], nss),
        )
      ).error,
      undefined,
    );
  });

  it('skips when any condition is false', async () => {
    const node = attributes({
      object: deployment('demo-app', 'default', 1),
      user: { username: 'system:node:n1', uid: '', groups: ['system:nodes'], extra: {} },
    });
    assert.equal((await evaluatePolicies(node, inputs([p], [b], nss))).error, undefined);
    const lease = attributes({
      object: { metadata: { name: 'demo-lease', namespace: 'default' } },
      resource: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
      kind: { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
    });
    assert.equal((await evaluatePolicies(lease, inputs([p], [b], nss))).error, undefined);
  });

  it('a condition error follows failurePolicy', async () => {
    const bad = policy('bad', {
      matchConditions: [{ name: 'x', expression: 'object.spec.nope == 1' }],
      validations: [{ expression: 'true' }],
    });
    const r = await evaluatePolicies(
      attributes({ object: deployment('web', 'default', 1) }),
      inputs([bad], [binding('b', 'bad')], nss),
    );
    assert.match(
      r.error!.message,
      /denied request: expression 'object\.spec\.nope == 1' resulted in error: /,
    );
    const ignore = { ...bad, spec: { ...bad.spec, failurePolicy: 'Ignore' as const } };
    assert.equal(
      (
        await evaluatePolicies(
          attributes({ object: deployment('web', 'default', 1) }),
          inputs([ignore], [binding('b', 'bad')], nss),
        )
      ).error,
      undefined,
    );
  });
});

describe('documentation: variables and namespaceObject', () => {
  const p = policy('image-matches-namespace-environment.policy.example.com', {
    variables: [
      {
        name: 'environment',
        expression:
          "'environment' in namespaceObject.metadata.labels ? namespaceObject.metadata.labels['environment'] : 'prod'",
      },
      {
        name: 'exempt',
        expression:
          "'exempt' in namespaceObject.metadata.labels && namespaceObject.metadata.labels['exempt'] == 'true'",
      },
      { name: 'containers', expression: 'object.spec.template.spec.containers' },
      {
        name: 'containersToCheck',
        expression: "variables.containers.filter(c, c.image.contains('example.com/'))",
      },
    ],
    validations: [
      {
        expression:
          "variables.exempt || variables.containersToCheck.all(c, c.image.startsWith(variables.environment + '.'))",
        messageExpression:
          "'only ' + variables.environment + ' images are allowed in namespace ' + namespaceObject.metadata.name",
      },
    ],
  });
  const b = binding('b', p.metadata.name);
  const nss = [
    namespace('staging-ns', { environment: 'staging' }),
    namespace('exempt-ns', { environment: 'staging', exempt: 'true' }),
  ];
  const withImage = (ns: string, image: string) => {
    const d = deployment('web', ns, 1);
    (
      d['spec'] as { template: { spec: { containers: { image: string }[] } } }
    ).template.spec.containers[0]!.image = image;
    return d;
  };

  it('denies images of another environment with the computed message', async () => {
    const r = await evaluatePolicies(
      attributes({ object: withImage('staging-ns', 'prod.example.com/nginx') }),
      inputs([p], [b], nss),
    );
    assert.match(
      r.error!.message,
      /denied request: only staging images are allowed in namespace staging-ns$/,
    );
  });

  it('admits matching and exempt namespaces', async () => {
    assert.equal(
      (
        await evaluatePolicies(
          attributes({ object: withImage('staging-ns', 'staging.example.com/nginx') }),
          inputs([p], [b], nss),
        )
      ).error,
      undefined,
    );
    assert.equal(
      (
        await evaluatePolicies(
          attributes({ object: withImage('exempt-ns', 'prod.example.com/nginx') }),
          inputs([p], [b], nss),
        )
      ).error,
      undefined,
    );
  });
});
