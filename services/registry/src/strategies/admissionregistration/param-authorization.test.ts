import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthorizeRequest, UserInfo } from '@splitplane/proto';
import { BUILTIN_RESOURCES, type KubeObject, Scheme } from '@splitplane/scheme';
import type { WriteContext } from '../../store/context.js';
import { goUserString, paramReferenceChecks } from './param-authorization.js';

const scheme = new Scheme(BUILTIN_RESOURCES);
const def = (kind: string) => BUILTIN_RESOURCES.find((d) => d.kind === kind)!;
const bob: UserInfo = { username: 'bob', uid: '', groups: ['system:authenticated'], extra: {} };
const ctx = (user: UserInfo) => ({ attrs: { user } }) as unknown as WriteContext;
const policy = (paramKind?: unknown): KubeObject => ({
  metadata: { name: 'p' },
  spec: paramKind ? { paramKind } : {},
});
const binding = (paramRef?: unknown, policyName = 'p'): KubeObject => ({
  metadata: { name: 'b' },
  spec: { policyName, ...(paramRef ? { paramRef } : {}) },
});

function checks(allow: boolean, stored?: KubeObject) {
  const asked: AuthorizeRequest[] = [];
  const forDef = paramReferenceChecks({
    authorize: async (req) => {
      asked.push(req);
      return allow;
    },
    scheme,
    getPolicy: async (name) => (stored && name === 'p' ? stored : undefined),
  });
  return {
    asked,
    policy: forDef(def('ValidatingAdmissionPolicy'))!,
    binding: forDef(def('ValidatingAdmissionPolicyBinding'))!,
  };
}

describe('paramKind and paramRef authorization', () => {
  it('only the policy and binding kinds have a check', () => {
    const forDef = paramReferenceChecks({
      authorize: async () => true,
      scheme,
      getPolicy: async () => undefined,
    });
    assert.equal(forDef(def('ValidatingWebhookConfiguration')), undefined);
    assert.equal(forDef(def('ConfigMap')), undefined);
  });

  it('a policy needs get on every object of its paramKind, resolved through the scheme', async () => {
    const c = checks(false);
    const errs = await c.policy(
      ctx(bob),
      policy({ apiVersion: 'v1', kind: 'ConfigMap' }),
      undefined,
    );
    assert.deepEqual(errs.map(String), [
      'spec.paramKind: Forbidden: user &{bob  [system:authenticated] map[]} must have "get" permission on all objects of the referenced paramKind (kind=ConfigMap, apiVersion=v1)',
    ]);
    assert.deepEqual(c.asked[0], {
      user: bob,
      verb: 'get',
      resourceRequest: true,
      path: '',
      apiGroup: '',
      apiVersion: 'v1',
      resource: 'configmaps',
      subresource: '',
      namespace: '*',
      name: '*',
    });
    // Unknown kinds need permission on every resource of the group/version.
    await c.policy(ctx(bob), policy({ apiVersion: 'example.com/v1', kind: 'Thing' }), undefined);
    assert.deepEqual([c.asked[1]!.apiGroup, c.asked[1]!.resource], ['example.com', '*']);
  });

  it('no check without paramKind, for an unchanged paramKind, or for system:masters', async () => {
    const c = checks(false);
    const pk = { apiVersion: 'v1', kind: 'ConfigMap' };
    assert.deepEqual(await c.policy(ctx(bob), policy(), undefined), []);
    assert.deepEqual(await c.policy(ctx(bob), policy(pk), policy(pk)), []);
    const admin = { ...bob, username: 'admin', groups: ['system:masters'] };
    assert.deepEqual(await c.policy(ctx(admin), policy(pk), undefined), []);
    assert.equal(c.asked.length, 0);
  });

  it('a binding needs get on the object its paramRef names, of the policy’s paramKind', async () => {
    const c = checks(false, policy({ apiVersion: 'v1', kind: 'ConfigMap' }));
    const errs = await c.binding(ctx(bob), binding({ name: 'limits', namespace: 'ns' }), undefined);
    assert.deepEqual(errs.map(String), [
      'spec.paramRef: Forbidden: user &{bob  [system:authenticated] map[]} does not have "get" permission on the object referenced by paramRef',
    ]);
    assert.deepEqual(
      [c.asked[0]!.resource, c.asked[0]!.namespace, c.asked[0]!.name],
      ['configmaps', 'ns', 'limits'],
    );
    const ok = checks(true);
    assert.deepEqual(
      await ok.binding(ctx(bob), binding({ name: 'limits' }, 'missing'), undefined),
      [],
    );
    assert.deepEqual([ok.asked[0]!.apiGroup, ok.asked[0]!.resource], ['*', '*']);
  });

  it('prints users as Go prints a *user.DefaultInfo', () => {
    assert.equal(
      goUserString({
        username: 'u',
        uid: '7',
        groups: ['a', 'b'],
        extra: { z: { values: ['1', '2'] }, a: { values: [] } },
      }),
      '&{u 7 [a b] map[a:[] z:[1 2]]}',
    );
  });
});
