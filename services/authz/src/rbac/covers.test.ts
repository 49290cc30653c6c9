import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeMissing } from './compact.js';
import { breakdownRule, covers, ruleCovers } from './covers.js';
import type { PolicyRule } from './types.js';

const r = (
  verbs: string[],
  apiGroups: string[],
  resources: string[],
  resourceNames?: string[],
): PolicyRule => ({
  verbs,
  apiGroups,
  resources,
  ...(resourceNames ? { resourceNames } : {}),
});

describe('covers', () => {
  it('breaks rules down into one verb, group, resource and name each', () => {
    assert.equal(breakdownRule(r(['get', 'list'], ['', 'apps'], ['a', 'b'])).length, 8);
    assert.equal(breakdownRule(r(['get'], [''], ['a'], ['x', 'y'])).length, 2);
    assert.deepEqual(breakdownRule({ verbs: ['get', 'post'], nonResourceURLs: ['/x'] }), [
      { verbs: ['get'], nonResourceURLs: ['/x'] },
      { verbs: ['post'], nonResourceURLs: ['/x'] },
    ]);
  });

  it('covers with *, pods/* and */subresource', () => {
    assert.equal(
      ruleCovers(r(['*'], ['*'], ['*']), r(['delete'], ['apps'], ['deployments/scale'])),
      true,
    );
    assert.equal(ruleCovers(r(['get'], [''], ['pods/*']), r(['get'], [''], ['pods/log'])), true);
    assert.equal(ruleCovers(r(['get'], [''], ['pods/*']), r(['get'], [''], ['pods'])), false);
    assert.equal(
      ruleCovers(r(['get'], ['apps'], ['*/scale']), r(['get'], ['apps'], ['deployments/scale'])),
      true,
    );
    assert.equal(ruleCovers(r(['get'], [''], ['pods']), r(['get'], [''], ['pods/log'])), false);
  });

  it('treats resourceNames as kube does', () => {
    assert.equal(ruleCovers(r(['get'], [''], ['s']), r(['get'], [''], ['s'], ['a'])), true);
    assert.equal(ruleCovers(r(['get'], [''], ['s'], ['a']), r(['get'], [''], ['s'])), false);
    assert.equal(
      ruleCovers(r(['get'], [''], ['s'], ['a', 'b']), r(['get'], [''], ['s'], ['b'])),
      true,
    );
    assert.equal(ruleCovers(r(['get'], [''], ['s'], ['a']), r(['get'], [''], ['s'], ['b'])), false);
  });

  it('covers URLs exactly or by prefix', () => {
    const owner: PolicyRule = { verbs: ['get'], nonResourceURLs: ['/logs/*', '/healthz'] };
    assert.equal(ruleCovers(owner, { verbs: ['get'], nonResourceURLs: ['/logs/a'] }), true);
    assert.equal(ruleCovers(owner, { verbs: ['get'], nonResourceURLs: ['/logs/*'] }), true);
    assert.equal(ruleCovers(owner, { verbs: ['get'], nonResourceURLs: ['/healthz/x'] }), false);
    assert.equal(
      ruleCovers(
        { verbs: ['*'], nonResourceURLs: ['*'] },
        { verbs: ['put'], nonResourceURLs: ['/a'] },
      ),
      true,
    );
  });

  it('reports what is missing, compacted as kube prints it', () => {
    const owner = [r(['get'], [''], ['pods'])];
    const wanted = [
      r(['get', 'list', 'watch'], [''], ['pods', 'secrets']),
      { verbs: ['get'], nonResourceURLs: ['/x'] },
    ];
    const result = covers(owner, wanted);
    assert.equal(result.covered, false);
    assert.equal(result.missing.length, 6);
    assert.deepEqual(describeMissing(result.missing), [
      '{APIGroups:[""], Resources:["pods"], Verbs:["list" "watch"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list" "watch"]}',
      '{NonResourceURLs:["/x"], Verbs:["get"]}',
    ]);
    assert.equal(covers(owner, [r(['get'], [''], ['pods'], ['a'])]).covered, true);
  });
});
