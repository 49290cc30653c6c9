import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyRouter } from './key-router.js';
import { scheme } from './test-support.js';

describe('KeyRouter', () => {
  const router = new KeyRouter(scheme);
  const parse = (key: string) => {
    const p = router.parse(key);
    return p && [p.route.resource, p.namespace, p.name];
  };

  it('maps namespaced and cluster-scoped keys to their resource', () => {
    assert.deepEqual(parse('/registry/pods/default/web-1'), ['pods', 'default', 'web-1']);
    assert.deepEqual(parse('/registry/namespaces/kube-system'), ['namespaces', '', 'kube-system']);
    assert.deepEqual(parse('/registry/deployments/ns/app'), ['apps/deployments', 'ns', 'app']);
    assert.deepEqual(parse('/registry/clusterroles/admin'), [
      'rbac.authorization.k8s.io/clusterroles',
      '',
      'admin',
    ]);
  });

  it('takes the longest prefix (services/specs vs services/endpoints)', () => {
    assert.deepEqual(parse('/registry/services/specs/default/kubernetes'), [
      'services',
      'default',
      'kubernetes',
    ]);
    assert.deepEqual(parse('/registry/services/endpoints/default/kubernetes'), [
      'endpoints',
      'default',
      'kubernetes',
    ]);
  });

  it('skips splitplane keys, unknown prefixes and malformed keys', () => {
    for (const key of [
      '/registry/splitplane/leases/registry',
      '/registry/unknown/a/b',
      '/registry/pods/default',
      '/registry/pods/default/',
      '/registry/pods/a/b/c',
      '/registry/namespaces/a/b',
      '/registry/pods/',
      '/other/pods/a/b',
    ])
      assert.equal(parse(key), undefined, key);
  });
});
