import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toStatusError } from '@splitplane/apimachinery';
import {
  type CallWithAuthContext,
  callerService,
  effectiveUser,
  enforceCallerIdentity,
  internalUser,
} from './caller-identity.js';

const alice = { username: 'alice', uid: 'u1', groups: ['devs'], extra: {} };
const tlsFrom = (cn: unknown): CallWithAuthContext => ({
  getAuthContext: () => ({
    transportSecurityType: 'ssl',
    sslPeerCertificate: { subject: { CN: cn as string } },
  }),
});
const plaintext: CallWithAuthContext = { getAuthContext: () => ({}) };

describe('caller identity', () => {
  it('reads the calling service from its certificate CN, none on plaintext', () => {
    assert.equal(callerService(tlsFrom('registry')), 'registry');
    assert.equal(callerService(plaintext), undefined);
  });

  it('believes the gateway, the registry and admission relaying their requester, and everyone on plaintext', () => {
    assert.deepEqual(effectiveUser(tlsFrom('gateway'), alice), alice);
    assert.deepEqual(effectiveUser(tlsFrom('registry'), alice), alice);
    assert.deepEqual(effectiveUser(tlsFrom('admission'), alice), alice);
    assert.deepEqual(effectiveUser(plaintext, alice), alice);
    for (const cn of ['authz', 'watch-cache', 'launcher', 'Gateway'])
      assert.deepEqual(effectiveUser(tlsFrom(cn), alice), internalUser(), cn);
    assert.deepEqual(internalUser(), {
      username: 'system:apiserver',
      uid: '',
      groups: ['system:masters', 'system:authenticated'],
      extra: {},
    });
  });

  it('refuses a TLS caller without a usable CN with 401', () => {
    for (const cn of [undefined, '', ['gateway', 'authz']]) {
      assert.throws(
        () => callerService(tlsFrom(cn)),
        (err) => toStatusError(err).code === 401,
      );
    }
  });

  it('rewrites both request shapes in place, and leaves user-less requests alone', () => {
    const authorize = { user: alice, verb: 'get' };
    enforceCallerIdentity(authorize, tlsFrom('authz'));
    assert.deepEqual(authorize.user, internalUser());

    const unset: { user?: unknown } = { user: undefined };
    enforceCallerIdentity(unset, tlsFrom('watch-cache'));
    assert.deepEqual(unset.user, internalUser());

    const write = { attributes: { user: alice, namespace: 'ns' } };
    enforceCallerIdentity(write, tlsFrom('authz'));
    assert.deepEqual(write.attributes.user, internalUser());
    assert.equal(write.attributes.namespace, 'ns');

    const fromGateway = { attributes: { user: alice } };
    enforceCallerIdentity(fromGateway, tlsFrom('gateway'));
    assert.deepEqual(fromGateway.attributes.user, alice);

    const describe = {};
    enforceCallerIdentity(describe, tlsFrom(undefined));
    assert.deepEqual(describe, {});
  });
});
