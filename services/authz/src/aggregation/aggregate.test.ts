import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resourceRule } from '../bootstrap/rules.js';
import { aggregatedRules, isAggregated, type ClusterRoleLike } from './aggregate.js';

const cr = (
  name: string,
  labels: Record<string, string>,
  rules = [resourceRule(['get'], [''], [name])],
): ClusterRoleLike => ({
  metadata: { name, labels },
  rules,
});

describe('aggregatedRules', () => {
  const view: ClusterRoleLike = {
    metadata: { name: 'view', labels: { 'to-edit': 'true' } },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'to-view': 'true' } }] },
    rules: [],
  };

  it('unions matching roles sorted by name, each rule once, itself excluded', () => {
    const shared = resourceRule(['list'], [''], ['nodes']);
    const all = [
      view,
      cr('zeta', { 'to-view': 'true' }, [shared, resourceRule(['get'], [''], ['zeta'])]),
      cr('alpha', { 'to-view': 'true' }, [resourceRule(['get'], [''], ['alpha']), shared]),
      cr('other', {}),
    ];
    assert.deepEqual(aggregatedRules(view, all), [
      resourceRule(['get'], [''], ['alpha']),
      shared,
      resourceRule(['get'], [''], ['zeta']),
    ]);
    assert.ok(isAggregated(view));
    assert.ok(!isAggregated(all[1]!));
  });

  it('supports matchExpressions and several selectors in order', () => {
    const role: ClusterRoleLike = {
      metadata: { name: 'agg' },
      aggregationRule: {
        clusterRoleSelectors: [
          { matchExpressions: [{ key: 'tier', operator: 'In', values: ['b'] }] },
          { matchLabels: { tier: 'a' } },
        ],
      },
    };
    const all = [role, cr('a', { tier: 'a' }), cr('b', { tier: 'b' })];
    assert.deepEqual(
      aggregatedRules(role, all).map((r) => r.resources![0]),
      ['b', 'a'],
    );
  });

  it('skips a selector that does not parse', () => {
    const role: ClusterRoleLike = {
      metadata: { name: 'agg' },
      aggregationRule: {
        clusterRoleSelectors: [{ matchExpressions: [{ key: 'x', operator: 'Bogus' }] }],
      },
    };
    assert.deepEqual(aggregatedRules(role, [role, cr('a', { x: '1' })]), []);
  });
});
