import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import { ServedEquivalentResourceMapper, StaticEquivalentResourceMapper } from './equivalence.js';
import { matchWebhook } from './match.js';
import { ruleMatches, type RuleTarget } from './rules.js';
import { hook, namespaces, podCreate } from './test-fixtures.js';

const target = (over: Partial<RuleTarget> = {}): RuleTarget => ({
  operation: 'CREATE',
  resource: { group: '', version: 'v1', resource: 'pods' },
  subresource: '',
  namespace: 'default',
  ...over,
});
const all = { operations: ['*'], apiGroups: ['*'], apiVersions: ['*'] };

test('resources: * excludes subresources, pods/status, */scale and */* as kube', () => {
  const status = target({ subresource: 'status' });
  assert.equal(ruleMatches({ ...all, resources: ['*'] }, target()), true);
  assert.equal(ruleMatches({ ...all, resources: ['*'] }, status), false);
  assert.equal(ruleMatches({ ...all, resources: ['pods/status'] }, status), true);
  assert.equal(ruleMatches({ ...all, resources: ['pods'] }, status), false);
  assert.equal(ruleMatches({ ...all, resources: ['pods/*'] }, status), true);
  assert.equal(ruleMatches({ ...all, resources: ['*/*'] }, status), true);
  const scale = target({
    resource: { group: 'apps', version: 'v1', resource: 'deployments' },
    subresource: 'scale',
  });
  assert.equal(ruleMatches({ ...all, resources: ['*/scale'] }, scale), true);
  assert.equal(ruleMatches({ ...all, resources: ['*/scale'] }, status), false);
});

test('operations, groups and versions must each match', () => {
  const r = { operations: ['UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] };
  assert.equal(ruleMatches(r, target()), false);
  assert.equal(ruleMatches({ ...r, operations: ['CREATE'] }, target()), true);
  assert.equal(ruleMatches({ ...r, operations: ['CREATE'], apiGroups: ['apps'] }, target()), false);
  assert.equal(ruleMatches({ ...r, operations: ['CREATE'], apiVersions: ['v2'] }, target()), false);
});

test('scope: a namespace object is cluster-scoped', () => {
  const r = { ...all, resources: ['*'] };
  const ns = target({
    resource: { group: '', version: 'v1', resource: 'namespaces' },
    namespace: 'team-a',
  });
  const node = target({ resource: { group: '', version: 'v1', resource: 'nodes' }, namespace: '' });
  assert.equal(ruleMatches({ ...r, scope: 'Namespaced' }, target()), true);
  assert.equal(ruleMatches({ ...r, scope: 'Namespaced' }, ns), false);
  assert.equal(ruleMatches({ ...r, scope: 'Namespaced' }, node), false);
  assert.equal(ruleMatches({ ...r, scope: 'Cluster' }, ns), true);
  assert.equal(ruleMatches({ ...r, scope: 'Cluster' }, node), true);
  assert.equal(ruleMatches({ ...r, scope: 'Cluster' }, target()), false);
  assert.equal(ruleMatches({ ...r, scope: '*' }, target()), true);
});

const deps = (ns = namespaces({ default: { env: 'prod' } })) => ({
  namespaces: ns,
  equivalents: new StaticEquivalentResourceMapper(),
});
const cfg = { url: 'https://127.0.0.1:1/x' };

test('namespaceSelector reads the namespace; a namespace request its own labels', () => {
  const prod = hook('h', cfg, { namespaceSelector: { matchLabels: { env: 'prod' } } });
  const dev = hook('h', cfg, { namespaceSelector: { matchLabels: { env: 'dev' } } });
  assert.ok(matchWebhook('c', prod, podCreate(), deps()));
  assert.equal(matchWebhook('c', dev, podCreate(), deps()), undefined);
  const nsRule = [
    { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'] },
  ];
  const nsCreate = podCreate({
    kind: { group: '', version: 'v1', kind: 'Namespace' },
    resource: { group: '', version: 'v1', resource: 'namespaces' },
    name: 'team-a',
    namespace: 'team-a',
    object: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a', labels: { env: 'dev' } },
    },
  });
  assert.ok(matchWebhook('c', { ...dev, rules: nsRule }, nsCreate, deps()));
  assert.equal(matchWebhook('c', { ...prod, rules: nsRule }, nsCreate, deps()), undefined);
  // A delete reads the stored namespace's labels.
  const nsDelete = {
    ...nsCreate,
    operation: 'DELETE' as const,
    object: undefined,
    oldObject: nsCreate.object,
  };
  const delRule = nsRule.map((r) => ({ ...r, operations: ['DELETE'] }));
  const stored = deps(namespaces({ 'team-a': { env: 'prod' } }));
  assert.ok(matchWebhook('c', { ...prod, rules: delRule }, nsDelete, stored));
  assert.equal(matchWebhook('c', { ...dev, rules: delRule }, nsDelete, stored), undefined);
});

test('namespaceSelector: an unknown namespace is a 404 only when the rules match', () => {
  const h = hook('h', cfg, { namespaceSelector: { matchLabels: { env: 'prod' } } });
  const attrs = podCreate({ namespace: 'ghost' });
  assert.throws(
    () => matchWebhook('c', h, attrs, deps()),
    (err: unknown) =>
      err instanceof StatusError &&
      err.code === 404 &&
      err.status.message === 'namespaces "ghost" not found',
  );
  const other = { ...h, rules: [{ ...all, resources: ['services'] }] };
  assert.equal(matchWebhook('c', other, attrs, deps()), undefined);
  // Cluster-scoped objects are never exempted by a namespaceSelector.
  const node = podCreate({
    resource: { group: '', version: 'v1', resource: 'nodes' },
    namespace: '',
  });
  assert.ok(matchWebhook('c', { ...h, rules: [{ ...all, resources: ['nodes'] }] }, node, deps()));
});

test('objectSelector matches the new or the old object', () => {
  const h = hook('h', cfg, { objectSelector: { matchLabels: { app: 'db' } } });
  assert.equal(matchWebhook('c', h, podCreate(), deps()), undefined);
  const update = podCreate({
    operation: 'UPDATE',
    oldObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'db' } } },
  });
  assert.ok(matchWebhook('c', h, update, deps()));
  const expr = hook('h', cfg, {
    objectSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
  });
  assert.ok(matchWebhook('c', expr, podCreate(), deps()));
});

test('matchPolicy Equivalent calls a webhook written for another version, as that version', () => {
  const attrs = podCreate({
    kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    resource: { group: 'apps', version: 'v1', resource: 'deployments' },
    object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } },
  });
  const rules = [
    {
      operations: ['CREATE'],
      apiGroups: ['extensions'],
      apiVersions: ['v1beta1'],
      resources: ['deployments'],
    },
  ];
  const exact = hook('h', cfg, { rules, matchPolicy: 'Exact' });
  assert.equal(matchWebhook('c', exact, attrs, deps()), undefined);
  const inv = matchWebhook('c', { ...exact, matchPolicy: 'Equivalent' }, attrs, deps());
  assert.deepEqual(inv?.resource, {
    group: 'extensions',
    version: 'v1beta1',
    resource: 'deployments',
  });
  assert.deepEqual(inv?.kind, { group: 'extensions', version: 'v1beta1', kind: 'Deployment' });
  // Equivalent is v1's default.
  assert.ok(matchWebhook('c', { ...exact, matchPolicy: undefined }, attrs, deps()));
});

test('requests about webhook configurations never reach webhooks', () => {
  const attrs = podCreate({
    resource: {
      group: 'admissionregistration.k8s.io',
      version: 'v1',
      resource: 'validatingwebhookconfigurations',
    },
    namespace: '',
  });
  assert.equal(
    matchWebhook('c', hook('h', cfg, { rules: [{ ...all, resources: ['*'] }] }), attrs, deps()),
    undefined,
  );
});

test('served equivalents: other served versions of the resource, never unserved ones', () => {
  const served = new ServedEquivalentResourceMapper({
    all: () => [
      { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment' },
      { group: 'example.com', version: 'v1', plural: 'widgets', kind: 'Widget' },
      { group: 'example.com', version: 'v1beta1', plural: 'widgets', kind: 'Widget' },
    ],
  });
  assert.deepEqual(
    served.equivalents({ group: 'apps', version: 'v1', resource: 'deployments' }, ''),
    [],
  );
  assert.deepEqual(
    served.equivalents({ group: 'example.com', version: 'v1', resource: 'widgets' }, 'scale'),
    [
      {
        resource: { group: 'example.com', version: 'v1beta1', resource: 'widgets' },
        kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      },
    ],
  );
  const beta = served.equivalents({ group: 'example.com', version: 'v1', resource: 'widgets' }, '');
  assert.deepEqual(beta[0]?.kind, { group: 'example.com', version: 'v1beta1', kind: 'Widget' });
});
