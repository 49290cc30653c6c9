import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleAllows, type RuleRequest } from './rule-matches.js';
import type { PolicyRule } from './types.js';

const req = (over: Partial<RuleRequest>): RuleRequest => ({
  verb: 'get',
  resourceRequest: true,
  apiGroup: '',
  resource: 'pods',
  subresource: '',
  name: '',
  path: '',
  ...over,
});
const rule = (over: Partial<PolicyRule>): PolicyRule => ({
  verbs: ['get'],
  apiGroups: [''],
  resources: ['pods'],
  ...over,
});

describe('ruleAllows', () => {
  it('matches verb, group and resource exactly', () => {
    assert.equal(ruleAllows(req({}), rule({})), true);
    assert.equal(ruleAllows(req({ verb: 'list' }), rule({})), false);
    assert.equal(ruleAllows(req({ apiGroup: 'apps' }), rule({})), false);
    assert.equal(ruleAllows(req({ resource: 'services' }), rule({})), false);
  });

  it('treats * as every verb, group and resource', () => {
    const all = rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    assert.equal(
      ruleAllows(req({ verb: 'escalate', apiGroup: 'x.io', resource: 'foos' }), all),
      true,
    );
    assert.equal(ruleAllows(req({ resource: 'pods', subresource: 'log' }), all), true);
  });

  it('needs the subresource named: pods does not grant pods/log', () => {
    assert.equal(ruleAllows(req({ subresource: 'log' }), rule({})), false);
    assert.equal(ruleAllows(req({ subresource: 'log' }), rule({ resources: ['pods/log'] })), true);
    assert.equal(ruleAllows(req({}), rule({ resources: ['pods/log'] })), false);
  });

  it('matches */subresource for every resource, but not pods/* for requests', () => {
    const scale = rule({ apiGroups: ['*'], resources: ['*/scale'] });
    assert.equal(
      ruleAllows(req({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale' }), scale),
      true,
    );
    assert.equal(ruleAllows(req({ resource: 'deployments' }), scale), false);
    assert.equal(ruleAllows(req({ subresource: 'xscale' }), scale), false);
    // kube's request matcher has no `pods/*` wildcard (only escalation's covers has one).
    assert.equal(ruleAllows(req({ subresource: 'log' }), rule({ resources: ['pods/*'] })), false);
  });

  it('restricts by resourceNames only requests that carry a name', () => {
    const named = rule({
      verbs: ['get', 'list', 'watch', 'create', 'update'],
      resourceNames: ['a'],
    });
    assert.equal(ruleAllows(req({ name: 'a' }), named), true);
    assert.equal(ruleAllows(req({ name: 'b' }), named), false);
    assert.equal(ruleAllows(req({ verb: 'list' }), named), false);
    assert.equal(ruleAllows(req({ verb: 'watch' }), named), false);
    assert.equal(ruleAllows(req({ verb: 'create' }), named), false);
    assert.equal(ruleAllows(req({ verb: 'watch', name: 'a' }), named), true);
  });

  it('matches nonResourceURLs exactly or by a trailing * prefix', () => {
    const urls: PolicyRule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/metrics/*'] };
    const nr = (path: string, verb = 'get') => req({ resourceRequest: false, path, verb });
    assert.equal(ruleAllows(nr('/healthz'), urls), true);
    assert.equal(ruleAllows(nr('/healthz/etcd'), urls), false);
    assert.equal(ruleAllows(nr('/metrics/x'), urls), true);
    assert.equal(ruleAllows(nr('/metrics/'), urls), true);
    assert.equal(ruleAllows(nr('/metrics'), urls), false);
    assert.equal(ruleAllows(nr('/healthz', 'post'), urls), false);
    assert.equal(ruleAllows(nr('/anything'), { verbs: ['*'], nonResourceURLs: ['*'] }), true);
  });

  it('keeps resource rules and URL rules apart', () => {
    assert.equal(ruleAllows(req({ resourceRequest: false, path: '/api' }), rule({})), false);
    assert.equal(ruleAllows(req({}), { verbs: ['*'], nonResourceURLs: ['*'] }), false);
  });
});
