import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthorizationCheck, CelAuthorizer } from '../cel/index.js';
import type { AdmissionAttributes } from '../chain/plugin.js';
import { CelMatchConditionEvaluator } from './match-condition-evaluator.js';

const attributes: AdmissionAttributes = {
  uid: 'u',
  kind: { group: '', version: 'v1', kind: 'ConfigMap' },
  resource: { group: '', version: 'v1', resource: 'configmaps' },
  subresource: '',
  name: 'cm',
  namespace: 'ns',
  operation: 'CREATE',
  user: { username: 'alice', uid: '', groups: ['devs'], extra: { scope: { values: ['a'] } } },
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', labels: { x: 'y' } } },
  oldObject: undefined,
  dryRun: false,
  options: undefined,
};
const matchedAs = { resource: attributes.resource, subresource: '', kind: attributes.kind };
const cond = (name: string, expression: string) => ({ name, expression });

describe('CelMatchConditionEvaluator', () => {
  it('matches when every condition is true, reading object, oldObject and request', async () => {
    const e = new CelMatchConditionEvaluator();
    assert.deepEqual(
      await e.evaluate(
        [
          cond('a', "object.metadata.labels.x == 'y'"),
          cond('b', 'oldObject == null'),
          cond(
            'c',
            "request.userInfo.username == 'alice' && request.userInfo.extra.scope[0] == 'a'",
          ),
        ],
        attributes,
        matchedAs,
      ),
      { matches: true },
    );
  });

  it('a false condition wins over errors', async () => {
    const e = new CelMatchConditionEvaluator();
    assert.deepEqual(
      await e.evaluate(
        [cond('err', 'object.nope.deeper'), cond('no', "request.operation == 'DELETE'")],
        attributes,
        matchedAs,
      ),
      { matches: false, failedCondition: 'no' },
    );
  });

  it('reports errors when nothing is false', async () => {
    const e = new CelMatchConditionEvaluator();
    const r = await e.evaluate([cond('err', 'object.nope.deeper')], attributes, matchedAs);
    assert.ok('error' in r);
    assert.match(r.error.message, /^expression 'object\.nope\.deeper' resulted in error: /);
  });

  it('answers authorizer checks as the request user', async () => {
    const seen: AuthorizationCheck[] = [];
    const authorizer: CelAuthorizer = {
      async authorize(check) {
        seen.push(check);
        return { decision: check.verb === 'admin' ? 'Allow' : 'Deny', reason: '' };
      },
    };
    const e = new CelMatchConditionEvaluator(undefined, authorizer);
    const r = await e.evaluate(
      [cond('admin', "authorizer.group('').resource('configmaps').check('admin').allowed()")],
      attributes,
      matchedAs,
    );
    assert.deepEqual(r, { matches: true });
    assert.equal(seen[0]?.user.username, 'alice');
  });
});
