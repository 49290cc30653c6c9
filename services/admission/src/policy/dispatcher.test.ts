import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePolicies } from './dispatcher.js';
import { ValidatingAdmissionPolicyPlugin } from './plugin.js';
import { attributes, binding, deployment, inputs, namespace, policy } from './test-helpers.js';
import type { Validation } from './types.js';

const nss = [namespace('default', { team: 'a' })];
const run = (validations: Validation[], extra = {}, replicas = 6) =>
  evaluatePolicies(
    attributes({ object: deployment('web', 'default', replicas) }),
    inputs([policy('p', { validations, ...extra })], [binding('b', 'p')], nss),
  );

describe('validations', () => {
  it('maps reason to code', async () => {
    const r = await run([{ expression: 'false', reason: 'Forbidden', message: 'no' }]);
    assert.equal(r.error?.code, 403);
    assert.equal(r.error?.reason, 'Forbidden');
    assert.equal(
      (await run([{ expression: 'false', reason: 'RequestEntityTooLarge' }])).error?.code,
      413,
    );
    assert.equal((await run([{ expression: 'false', reason: 'Unauthorized' }])).error?.code, 401);
  });

  it('falls back from messageExpression to message to the expression', async () => {
    const msg = async (v: Validation) =>
      (await run([v])).error!.message.split('denied request: ')[1];
    assert.equal(
      await msg({
        expression: 'false',
        messageExpression: "'computed ' + object.metadata.name",
        message: 'static',
      }),
      'computed web',
    );
    assert.equal(
      await msg({ expression: 'false', messageExpression: 'object.nope', message: ' static ' }),
      'static',
    );
    assert.equal(
      await msg({ expression: 'false', messageExpression: "'  '", message: 'static' }),
      'static',
    );
    assert.equal(
      await msg({ expression: 'false', messageExpression: "'a\\nb'" }),
      'failed expression: false',
    );
    assert.equal(
      await msg({ expression: 'false', messageExpression: '1' }),
      'failed expression: false',
    );
  });

  it('reports the first failing validation; a non-true result denies', async () => {
    const r = await run([
      { expression: 'true' },
      { expression: "dyn('yes')", message: 'second' },
      { expression: 'false', message: 'third' },
    ]);
    assert.match(r.error!.message, /denied request: second$/);
  });

  it('rejects expressions of the wrong type at compile time', async () => {
    assert.match(
      (await run([{ expression: "'yes'" }])).error!.message,
      /denied request: compilation error: must evaluate to bool$/,
    );
    const r = await run([{ expression: 'true' }], {
      auditAnnotations: [{ key: 'k', valueExpression: '1' }],
    });
    assert.match(
      r.error!.message,
      /compilation error: must evaluate to one of \[string null_type\]$/,
    );
  });

  it('runtime and compile errors follow failurePolicy', async () => {
    assert.match(
      (await run([{ expression: 'object.spec.missing > 1' }])).error!.message,
      /denied request: expression 'object\.spec\.missing > 1' resulted in error: /,
    );
    assert.match(
      (await run([{ expression: 'object.' }])).error!.message,
      /denied request: compilation error: /,
    );
    assert.equal(
      (await run([{ expression: 'object.spec.missing > 1' }], { failurePolicy: 'Ignore' })).error,
      undefined,
    );
    assert.equal(
      (await run([{ expression: 'object.spec.missing > 1' }], { failurePolicy: 'Ignore' })).error,
      undefined,
    );
  });

  it('reports variable errors where they are used', async () => {
    const r = await run([{ expression: 'variables.bad == 1' }], {
      variables: [{ name: 'bad', expression: 'object.nope' }],
    });
    assert.match(
      r.error!.message,
      /resulted in error: composited variable "bad" fails to evaluate: /,
    );
    // Unused broken variables do not matter.
    assert.equal(
      (
        await run([{ expression: 'true' }], {
          variables: [{ name: 'bad', expression: 'object.nope' }],
        })
      ).error,
      undefined,
    );
  });

  it('binds request and namespaceObject as kube shapes them', async () => {
    const r = await run(
      [
        {
          expression:
            "request.operation == 'CREATE' && request.userInfo.username == 'alice' && request.kind.kind == 'Deployment'",
        },
        {
          expression:
            "namespaceObject.metadata.labels.team == 'a' && !has(namespaceObject.metadata.managedFields)",
        },
        { expression: 'oldObject == null && params == null' },
      ],
      {},
    );
    assert.equal(r.error, undefined);
  });

  it('an audit annotation of the wrong type denies under Fail', async () => {
    const r = await run([{ expression: 'true' }], {
      auditAnnotations: [{ key: 'k', valueExpression: 'dyn(1)' }],
    });
    assert.match(
      r.error!.message,
      /valueExpression 'dyn\(1\)' resulted in unsupported return type: int\. Return type must be either string or null\.$/,
    );
  });

  it('joins distinct audit values from several bindings', async () => {
    const p = policy('p', {
      validations: [{ expression: 'true' }],
      auditAnnotations: [{ key: 'k', valueExpression: "'v'" }],
    });
    const r = await evaluatePolicies(
      attributes({ object: deployment('web', 'default', 1) }),
      inputs([p], [binding('b1', 'p'), binding('b2', 'p')], nss),
    );
    assert.deepEqual(r.auditAnnotations, { 'p/k': 'v' });
  });

  it('names an object without a name as generateName or Unknown', async () => {
    const p = policy('p', {
      validations: [{ expression: 'false' }],
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['apps'],
            apiVersions: ['v1'],
            operations: ['DELETE'],
            resources: ['deployments'],
          },
        ],
      },
    });
    const del = attributes({
      operation: 'DELETE',
      object: undefined,
      oldObject: deployment('web', 'default', 1),
      name: 'web',
      namespace: 'default',
    });
    assert.match(
      (await evaluatePolicies(del, inputs([p], [binding('b', 'p')], nss))).error!.message,
      /^deployments\.apps "Unknown" is forbidden: /,
    );
  });

  it('a binding for another policy does not apply', async () => {
    const r = await evaluatePolicies(
      attributes({ object: deployment('web', 'default', 9) }),
      inputs(
        [policy('p', { validations: [{ expression: 'false' }] })],
        [binding('b', 'other')],
        nss,
      ),
    );
    assert.equal(r.error, undefined);
  });
});

describe('ValidatingAdmissionPolicyPlugin', () => {
  it('throws the denial and records warnings and annotations on the context', async () => {
    const plugin = new ValidatingAdmissionPolicyPlugin(
      inputs(
        [
          policy('p', {
            validations: [{ expression: 'object.spec.replicas < 5', message: 'too many' }],
          }),
        ],
        [binding('warn', 'p', { validationActions: ['Warn'] }), binding('deny', 'p')],
        nss,
      ),
    );
    const context = { warnings: [] as string[], auditAnnotations: {} };
    await assert.rejects(
      plugin.validate(attributes({ object: deployment('web', 'default', 9) }), context),
      /with binding 'deny' denied request: too many/,
    );
    assert.deepEqual(context.warnings, [
      "Validation failed for ValidatingAdmissionPolicy 'p' with binding 'warn': too many",
    ]);
  });
});

describe('authorizer', () => {
  it('lets validations ask the injected authorizer', async () => {
    const p = policy('p', {
      validations: [
        {
          expression:
            "authorizer.group('apps').resource('deployments').subresource('scale').namespace(object.metadata.namespace).check('update').allowed()",
          message: 'may not scale',
        },
      ],
    });
    const allowing = (who: string) => ({
      authorize: async (c: { user: { username: string } }) => ({
        decision: c.user.username === who ? ('Allow' as const) : ('Deny' as const),
        reason: '',
      }),
    });
    const inp = (who: string) => ({
      ...inputs([p], [binding('b', 'p')], nss),
      authorizer: allowing(who),
    });
    const obj = deployment('web', 'default', 1);
    assert.equal(
      (await evaluatePolicies(attributes({ object: obj }), inp('alice'))).error,
      undefined,
    );
    assert.match(
      (await evaluatePolicies(attributes({ object: obj }), inp('bob'))).error!.message,
      /may not scale$/,
    );
  });
});

describe('namespaces', () => {
  it('skips a policy whose namespaceSelector cannot resolve, but 404s a missing namespace for namespaceObject', async () => {
    const selective = policy('p', {
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['apps'],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['deployments'],
          },
        ],
        namespaceSelector: { matchLabels: { team: 'a' } },
      },
      validations: [{ expression: 'false' }],
    });
    const obj = deployment('web', 'ghost', 1);
    const r = await evaluatePolicies(
      attributes({ object: obj }),
      inputs([selective], [binding('b', 'p')], nss),
    );
    assert.equal(r.error, undefined);
    const plain = policy('p', { validations: [{ expression: 'true' }] });
    await assert.rejects(
      evaluatePolicies(attributes({ object: obj }), inputs([plain], [binding('b', 'p')], nss)),
      (e: Error) => e.message === 'namespaces "ghost" not found',
    );
  });
});
