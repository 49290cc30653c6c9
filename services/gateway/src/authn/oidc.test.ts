// OIDC against a real local HTTPS issuer (discovery + JWKS), tokens signed with jose.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { createCA, issueServerCert } from '@splitplane/pki';
import { OidcAuthenticator, usernamePrefixFor } from './oidc.js';

let server: Server;
let url = '';
let caPem = '';
let jwksHits = 0;
const keys: Array<{ kid: string; privateKey: CryptoKey; jwk: Record<string, unknown> }> = [];

async function addKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  keys.push({ kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256' } });
}

before(async () => {
  const ca = await createCA('oidc-unit-ca');
  caPem = ca.certPem;
  const serving = await issueServerCert(ca, { commonName: '127.0.0.1' });
  await addKey('k1');
  server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks` }));
    } else if (req.url === '/jwks') {
      jwksHits++;
      res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const sign = (claims: JWTPayload, kid = 'k1', exp = 3600) => {
  const key = keys.find((k) => k.kid === kid)!;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(url)
    .setIssuedAt(now)
    .setExpirationTime(now + exp)
    .sign(key.privateKey);
};

const authenticator = (extra: Partial<ConstructorParameters<typeof OidcAuthenticator>[0]> = {}) =>
  new OidcAuthenticator({
    issuerUrl: url,
    clientId: 'cli',
    ca: caPem,
    refreshIntervalMs: 0,
    ...extra,
  });

test('default claim sub gets the issuer# prefix; groups get their prefix', async () => {
  const a = authenticator({ groupsClaim: 'groups', groupsPrefix: 'oidc:' });
  const out = await a.authenticateToken(await sign({ aud: 'cli', sub: 'alice', groups: ['g1'] }));
  assert.deepEqual(out?.user, {
    username: `${url}#alice`,
    uid: '',
    groups: ['oidc:g1'],
    extra: {},
  });
});

test('email claim: no prefix, and email_verified=false is refused', async () => {
  const a = authenticator({ usernameClaim: 'email' });
  const ok = await a.authenticateToken(await sign({ aud: 'cli', email: 'a@example.com' }));
  assert.equal(ok?.user.username, 'a@example.com');
  await assert.rejects(
    a.authenticateToken(await sign({ aud: 'cli', email: 'a@example.com', email_verified: false })),
    /email not verified/,
  );
});

test('wrong audience, expired token, required claims', async () => {
  const a = authenticator({ requiredClaims: { hd: 'example.com' } });
  await assert.rejects(
    a.authenticateToken(await sign({ aud: 'other', sub: 'x', hd: 'example.com' })),
  );
  await assert.rejects(
    a.authenticateToken(await sign({ aud: 'cli', sub: 'x', hd: 'example.com' }, 'k1', -600)),
  );
  await assert.rejects(
    a.authenticateToken(await sign({ aud: 'cli', sub: 'x' })),
    /required claim hd not present/,
  );
  assert.ok(await a.authenticateToken(await sign({ aud: 'cli', sub: 'x', hd: 'example.com' })));
});

test('another issuer’s token is not ours; a rotated key is fetched on demand', async () => {
  const a = authenticator();
  const foreign = await new SignJWT({ aud: 'cli', sub: 'x' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer('https://elsewhere')
    .sign(keys[0]!.privateKey);
  assert.equal(await a.authenticateToken(foreign), null);
  assert.ok(await a.authenticateToken(await sign({ aud: 'cli', sub: 'x' })));
  const before = jwksHits;
  await addKey('k2');
  assert.equal(
    (await a.authenticateToken(await sign({ aud: 'cli', sub: 'y' }, 'k2')))?.user.username,
    `${url}#y`,
  );
  assert.equal(jwksHits, before + 1);
});

test('kube’s username prefix rule', () => {
  assert.equal(usernamePrefixFor('https://i', 'sub', undefined), 'https://i#');
  assert.equal(usernamePrefixFor('https://i', 'email', undefined), '');
  assert.equal(usernamePrefixFor('https://i', 'sub', '-'), '');
  assert.equal(usernamePrefixFor('https://i', 'email', 'corp:'), 'corp:');
});
