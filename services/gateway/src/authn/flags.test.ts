import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from '@splitplane/kit';
import { GATEWAY_FLAGS } from '../flags.js';
import { AuthenticationFlagError, authenticationFromFlags } from './flags.js';

const parse = (argv: string[]) => authenticationFromFlags(parseFlags(GATEWAY_FLAGS, argv));

test('defaults: anonymous on, no token authenticators, no cap', () => {
  assert.deepEqual(parse([]), {
    serviceAccountKeyFiles: [],
    serviceAccountIssuers: [],
    serviceAccountLookup: true,
    apiAudiences: [],
    serviceAccountMaxTokenExpirationSeconds: 0,
    anonymous: true,
  });
});

test('kube’s flag names, repeatable lists, Go durations', () => {
  const out = parse([
    '--anonymous-auth=false',
    '--service-account-key-file=/a.pub',
    '--service-account-key-file=/b.pub',
    '--service-account-issuer=https://one,https://two',
    '--service-account-signing-key-file=/a.key',
    '--service-account-max-token-expiration=48h',
    '--requestheader-client-ca-file=/fp.crt',
    '--requestheader-username-headers=X-Remote-User',
    '--oidc-issuer-url=https://issuer',
    '--oidc-client-id=cli',
    '--oidc-required-claim=hd=example.com',
  ]);
  assert.equal(out.anonymous, false);
  assert.deepEqual(out.serviceAccountKeyFiles, ['/a.pub', '/b.pub']);
  assert.deepEqual(out.serviceAccountIssuers, ['https://one', 'https://two']);
  assert.equal(out.serviceAccountSigningKeyFile, '/a.key');
  assert.equal(out.serviceAccountMaxTokenExpirationSeconds, 48 * 3600);
  assert.equal(out.requestHeader?.clientCaFile, '/fp.crt');
  assert.deepEqual(out.requestHeader?.usernameHeaders, ['X-Remote-User']);
  assert.equal(out.oidc?.usernameClaim, 'sub');
  assert.deepEqual(out.oidc?.requiredClaims, { hd: 'example.com' });
  assert.deepEqual(out.oidc?.signingAlgs, ['RS256']);
});

test('OIDC flags are checked', () => {
  assert.throws(
    () => parse(['--oidc-issuer-url=http://issuer', '--oidc-client-id=c']),
    AuthenticationFlagError,
  );
  assert.throws(() => parse(['--oidc-issuer-url=https://issuer']), /--oidc-client-id is required/);
  assert.throws(
    () => parse(['--oidc-issuer-url=https://i', '--oidc-client-id=c', '--oidc-required-claim=x']),
    /want key=value/,
  );
});
