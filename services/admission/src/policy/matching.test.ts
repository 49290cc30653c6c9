import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import type { AdmissionAttributes } from '../chain/plugin.js';
import { matchResources, matchesRule } from './matching.js';
import { attributes, deployment, namespace } from './test-helpers.js';
import type { MatchResources } from './types.js';

const ctx = {
  namespaces: { get: (n: string) => ({ default: namespace('default', { env: 'test' }) })[n] },
};
const rule = (resources: string[], extra = {}) => ({
  apiGroups: ['*'],
  apiVersions: ['*'],
  operations: ['*'],
  resources,
  ...extra,
});
const scale = (): AdmissionAttributes =>
  attributes({
    object: deployment('web', 'default', 1),
    subresource: 'scale',
    operation: 'UPDATE',
  });
const plain = () => attributes({ object: deployment('web', 'default', 1) });

describe('resource rules', () => {
  it('matches resources and subresources as kube does', () => {
    assert.equal(matchesRule(rule(['deployments']), plain()), true);
    assert.equal(matchesRule(rule(['deployments']), scale()), false);
    assert.equal(matchesRule(rule(['*']), scale()), false);
    assert.equal(matchesRule(rule(['*/*']), scale()), true);
    assert.equal(matchesRule(rule(['deployments/*']), scale()), true);
    assert.equal(matchesRule(rule(['*/scale']), scale()), true);
    assert.equal(matchesRule(rule(['deployments/scale']), plain()), false);
  });

  it('checks operations, groups, versions, names and scope', () => {
    assert.equal(matchesRule(rule(['*'], { operations: ['UPDATE'] }), plain()), false);
    assert.equal(matchesRule(rule(['*'], { apiGroups: [''] }), plain()), false);
    assert.equal(matchesRule(rule(['*'], { apiVersions: ['v1beta1'] }), plain()), false);
    assert.equal(matchesRule(rule(['*'], { resourceNames: ['other'] }), plain()), false);
    assert.equal(matchesRule(rule(['*'], { resourceNames: ['web'] }), plain()), true);
    assert.equal(matchesRule(rule(['*'], { scope: 'Cluster' }), plain()), false);
    assert.equal(matchesRule(rule(['*'], { scope: 'Namespaced' }), plain()), true);
    const ns = attributes({
      object: namespace('team-a'),
      name: 'team-a',
      namespace: 'team-a',
      resource: { group: '', version: 'v1', resource: 'namespaces' },
      kind: { group: '', version: 'v1', kind: 'Namespace' },
    });
    assert.equal(matchesRule(rule(['*'], { scope: 'Cluster' }), ns), true);
  });
});

describe('matchResources', () => {
  it('needs rules on a policy but not on a binding', () => {
    assert.equal(matchResources({}, plain(), ctx, true).matches, false);
    assert.equal(matchResources({}, plain(), ctx, false).matches, true);
    assert.equal(matchResources(undefined, plain(), ctx, false).matches, true);
  });

  it('applies excludeResourceRules', () => {
    const mr: MatchResources = {
      resourceRules: [rule(['*'])],
      excludeResourceRules: [rule(['deployments'])],
    };
    assert.equal(matchResources(mr, plain(), ctx, true).matches, false);
  });

  it('selects by namespace labels and 404s an unknown namespace', () => {
    const mr = (env: string): MatchResources => ({
      resourceRules: [rule(['*'])],
      namespaceSelector: { matchLabels: { env } },
    });
    assert.equal(matchResources(mr('test'), plain(), ctx, true).matches, true);
    assert.equal(matchResources(mr('prod'), plain(), ctx, true).matches, false);
    const elsewhere = attributes({ object: deployment('web', 'nowhere', 1) });
    assert.throws(
      () => matchResources(mr('test'), elsewhere, ctx, true),
      (e: unknown) =>
        e instanceof StatusError &&
        e.code === 404 &&
        e.message === 'namespaces "nowhere" not found',
    );
  });

  it('uses the labels of a Namespace being created', () => {
    const a = attributes({
      object: namespace('team-a', { env: 'test' }),
      name: 'team-a',
      namespace: 'team-a',
      resource: { group: '', version: 'v1', resource: 'namespaces' },
      kind: { group: '', version: 'v1', kind: 'Namespace' },
    });
    const mr: MatchResources = {
      resourceRules: [rule(['*'])],
      namespaceSelector: { matchLabels: { env: 'test' } },
    };
    assert.equal(matchResources(mr, a, ctx, true).matches, true);
  });

  it('selects by object or old object labels', () => {
    const mr: MatchResources = {
      resourceRules: [rule(['*'])],
      objectSelector: { matchLabels: { app: 'web' } },
    };
    assert.equal(matchResources(mr, plain(), ctx, true).matches, false);
    assert.equal(
      matchResources(
        mr,
        attributes({ object: deployment('web', 'default', 1, { app: 'web' }) }),
        ctx,
        true,
      ).matches,
      true,
    );
    const upd = attributes({
      operation: 'UPDATE',
      object: deployment('web', 'default', 1),
      oldObject: deployment('web', 'default', 1, { app: 'web' }),
    });
    assert.equal(matchResources(mr, upd, ctx, true).matches, true);
  });

  it('matchPolicy Equivalent tries equivalent resources; Exact does not', () => {
    const beta = { group: 'apps', version: 'v1beta1', resource: 'deployments' };
    const equivalents = {
      equivalents: () => [
        { resource: beta, kind: { group: 'apps', version: 'v1beta1', kind: 'Deployment' } },
      ],
    };
    const rules = [rule(['deployments'], { apiVersions: ['v1beta1'] })];
    const eq = matchResources({ resourceRules: rules }, plain(), { ...ctx, equivalents }, true);
    assert.equal(eq.matches, true);
    assert.deepEqual(eq.resource, beta);
    assert.equal(
      matchResources(
        { resourceRules: rules, matchPolicy: 'Exact' },
        plain(),
        { ...ctx, equivalents },
        true,
      ).matches,
      false,
    );
  });
});
