import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CelCompiler } from './compiler.js';
import { CelEvaluationError } from './errors.js';
import { type AuthorizationCheck, AuthorizerValue, type CelAuthorizer } from './lib/authz.js';

// Allows what `rules` lists as "verb group/resource[/subresource] namespace" or "verb path".
class RuleAuthorizer implements CelAuthorizer {
  readonly seen: AuthorizationCheck[] = [];
  constructor(private readonly rules: string[]) {}
  async authorize(c: AuthorizationCheck) {
    this.seen.push(c);
    if (c.path === '/boom') throw new Error('authorizer unavailable');
    const key = c.resourceRequest
      ? `${c.verb} ${c.group}/${c.resource}${c.subresource ? `/${c.subresource}` : ''} ${c.namespace ?? ''}`.trim()
      : `${c.verb} ${c.path}`;
    return this.rules.includes(key)
      ? { decision: 'Allow' as const, reason: 'rule' }
      : { decision: 'NoOpinion' as const, reason: 'no rule' };
  }
}

describe('authz library', () => {
  const cel = new CelCompiler();
  const authz = new RuleAuthorizer([
    'create apps/deployments default',
    'get /healthz',
    'update apps/deployments/scale',
  ]);
  const authorizer = new AuthorizerValue({ username: 'alice', groups: [] }, authz, {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    namespace: 'default',
    name: 'web',
  });
  const ev = (expr: string) => cel.compile(expr).evaluateAsync({ authorizer });

  it('checks resources, subresources, paths and the request resource', async () => {
    assert.equal(
      await ev(
        "authorizer.group('apps').resource('deployments').namespace('default').check('create').allowed()",
      ),
      true,
    );
    assert.equal(
      await ev(
        "authorizer.group('apps').resource('deployments').namespace('other').check('create').allowed()",
      ),
      false,
    );
    assert.equal(
      await ev(
        "authorizer.group('apps').resource('deployments').subresource('scale').check('update').allowed()",
      ),
      true,
    );
    assert.equal(await ev("authorizer.path('/healthz').check('get').allowed()"), true);
    assert.equal(await ev("authorizer.requestResource.check('create').allowed()"), true);
    assert.equal(await ev("authorizer.requestResource.check('delete').reason()"), 'no rule');
    assert.equal(await ev("authorizer.path('/boom').check('get').errored()"), true);
    assert.equal(
      await ev("authorizer.path('/boom').check('get').error()"),
      'authorizer unavailable',
    );
  });

  it('checks as a service account', async () => {
    await ev("authorizer.serviceAccount('ns1', 'sa1').path('/x').check('get').allowed()");
    const last = authz.seen.at(-1)!;
    assert.equal(last.user.username, 'system:serviceaccount:ns1:sa1');
    assert.deepEqual(last.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns1']);
  });

  it('refuses asynchronous checks in a synchronous evaluation', () => {
    assert.throws(
      () =>
        cel.compile("authorizer.path('/healthz').check('get').allowed()").evaluate({ authorizer }),
      CelEvaluationError,
    );
  });
});
