import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { breakdownRule, resourceRule, ruleCovers, uncoveredRules, urlRule } from './rules.js';

describe('rule coverage', () => {
  it('breaks a rule down into one verb, group, resource and name each', () => {
    const atoms = breakdownRule(resourceRule(['get', 'list'], ['', 'apps'], ['pods'], ['a', 'b']));
    assert.equal(atoms.length, 8);
    assert.deepEqual(atoms[0], {
      verbs: ['get'],
      apiGroups: [''],
      resources: ['pods'],
      resourceNames: ['a'],
    });
    assert.deepEqual(breakdownRule(urlRule(['get'], ['/a', '/b'])), [
      { verbs: ['get'], nonResourceURLs: ['/a'] },
      { verbs: ['get'], nonResourceURLs: ['/b'] },
    ]);
  });

  it('wildcards cover verbs, groups, resources and URL prefixes', () => {
    const all = resourceRule(['*'], ['*'], ['*']);
    assert.ok(ruleCovers(all, resourceRule(['delete'], ['apps'], ['deployments/scale'])));
    assert.ok(
      ruleCovers(
        resourceRule(['get'], [''], ['pods/*']),
        resourceRule(['get'], [''], ['pods/log']),
      ),
    );
    assert.ok(
      !ruleCovers(resourceRule(['get'], [''], ['pods/*']), resourceRule(['get'], [''], ['pods'])),
    );
    assert.ok(ruleCovers(urlRule(['get'], ['/apis/*']), urlRule(['get'], ['/apis/apps/v1'])));
    assert.ok(!ruleCovers(urlRule(['get'], ['/apis/*']), urlRule(['get'], ['/api'])));
    assert.ok(!ruleCovers(resourceRule(['get'], [''], ['pods']), urlRule(['get'], ['/api'])));
  });

  it('resourceNames narrow what a rule covers', () => {
    const named = resourceRule(['get'], [''], ['configmaps'], ['x']);
    assert.ok(ruleCovers(resourceRule(['get'], [''], ['configmaps']), named));
    assert.ok(!ruleCovers(named, resourceRule(['get'], [''], ['configmaps'])));
    assert.ok(!ruleCovers(named, resourceRule(['get'], [''], ['configmaps'], ['y'])));
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
