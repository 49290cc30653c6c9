import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resourceRule, uncoveredRules, urlRule } from './rules.js';

// Coverage itself is RBAC's (rbac/covers.test.ts); these are the bootstrap helpers over it.
describe('bootstrap rule helpers', () => {
  it('builds rules with sorted verbs, resources and names', () => {
    assert.deepEqual(resourceRule(['list', 'get'], [''], ['pods', 'configmaps'], ['b', 'a']), {
      verbs: ['get', 'list'],
      apiGroups: [''],
      resources: ['configmaps', 'pods'],
      resourceNames: ['a', 'b'],
    });
    assert.deepEqual(urlRule(['get'], ['/b', '/a']), {
      verbs: ['get'],
      nonResourceURLs: ['/a', '/b'],
    });
  });

  it('reports only the uncovered atoms', () => {
    const owner = [resourceRule(['get', 'list'], [''], ['pods'])];
    const wanted = [resourceRule(['get', 'watch'], [''], ['pods'])];
    assert.deepEqual(uncoveredRules(owner, wanted), [
      { verbs: ['watch'], apiGroups: [''], resources: ['pods'] },
    ]);
    assert.deepEqual(uncoveredRules(wanted, wanted), []);
  });
});
