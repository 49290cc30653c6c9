// ServiceAccount tokens: signed by TokenSigner, verified by ServiceAccountAuthenticator,
// against objects in an in-memory ObjectGetter (the e2e suite reads the real watch-cache).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ObjectGetter, ObjectRef } from './object-getter.js';
import { ServiceAccountAuthenticator } from './service-account.js';
import { TokenSigner } from './token-signer.js';
import { algorithmFor, keyIdFor } from './keys.js';
import { AuthenticationError } from './types.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

class Objects implements ObjectGetter {
  readonly map = new Map<string, Record<string, any>>();
  put(resource: ObjectRef['resource'], name: string, uid: string, extra: Record<string, any> = {}) {
    this.map.set(`${resource}/default/${name}`, { metadata: { name, uid }, ...extra });
  }
  async get(ref: ObjectRef) {
    return this.map.get(`${ref.resource}/${ref.namespace}/${ref.name}`) ?? null;
  }
}

function setup() {
  const objects = new Objects();
  objects.put('serviceaccounts', 'robot', 'sa-uid');
  objects.put('pods', 'web', 'pod-uid');
  const signer = new TokenSigner(privateKey, ISSUER);
  const authn = new ServiceAccountAuthenticator({
    keys: [other.publicKey, publicKey],
    issuers: [ISSUER],
    apiAudiences: [ISSUER],
    objects,
  });
  return { objects, signer, authn };
}

const claim = { namespace: 'default', serviceaccount: { name: 'robot', uid: 'sa-uid' } };

test('a bound token authenticates as the ServiceAccount, with kube’s groups and extra', async () => {
  const { signer, authn } = setup();
  const { token } = await signer.sign({
    audiences: [ISSUER],
    expirationSeconds: 3600,
    claim: { ...claim, pod: { name: 'web', uid: 'pod-uid' } },
  });
  const out = await authn.authenticateToken(token, []);
  assert.ok(out);
  assert.equal(out.user.username, 'system:serviceaccount:default:robot');
  assert.equal(out.user.uid, 'sa-uid');
  assert.deepEqual(out.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default']);
  assert.deepEqual(out.user.extra['authentication.kubernetes.io/pod-name'], { values: ['web'] });
  assert.deepEqual(out.user.extra['authentication.kubernetes.io/pod-uid'], { values: ['pod-uid'] });
  assert.match(out.user.extra['authentication.kubernetes.io/credential-id']!.values[0]!, /^JTI=/);
  assert.deepEqual(out.audiences, [ISSUER]);
});

test('the header names kube’s key id and algorithm', async () => {
  const { signer } = setup();
  const { token } = await signer.sign({ audiences: [ISSUER], expirationSeconds: 600, claim });
  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));
  assert.deepEqual(header, { alg: 'RS256', kid: keyIdFor(privateKey) });
  assert.equal(keyIdFor(privateKey), keyIdFor(publicKey));
  assert.equal(algorithmFor(other.privateKey), 'ES256');
});

test('deleted or recreated ServiceAccount, deleted pod: the token is invalidated', async () => {
  const { signer, authn, objects } = setup();
  const { token } = await signer.sign({
    audiences: [ISSUER],
    expirationSeconds: 3600,
    claim: { ...claim, pod: { name: 'web', uid: 'pod-uid' } },
  });
  objects.map.delete('pods/default/web');
  await assert.rejects(authn.authenticateToken(token, []), /Token has been invalidated/);
  objects.put('pods', 'web', 'pod-uid');
  objects.put('serviceaccounts', 'robot', 'another-uid');
  await assert.rejects(
    authn.authenticateToken(token, []),
    /ServiceAccount UID \(another-uid\) does not match claim \(sa-uid\)/,
  );
  objects.map.delete('serviceaccounts/default/robot');
  await assert.rejects(authn.authenticateToken(token, []), /serviceaccounts "robot" not found/);
});

test('expired, not yet valid, wrong audience, foreign signature', async () => {
  const { signer, authn } = setup();
  const old = await signer.sign({
    audiences: [ISSUER],
    expirationSeconds: 600,
    claim,
    now: new Date(Date.now() - 3600_000),
  });
  await assert.rejects(authn.authenticateToken(old.token, []), /Token has expired\./);
  const future = await signer.sign({
    audiences: [ISSUER],
    expirationSeconds: 600,
    claim,
    now: new Date(Date.now() + 3600_000),
  });
  await assert.rejects(authn.authenticateToken(future.token, []), /Token could not be validated\./);
  const { token } = await signer.sign({ audiences: [ISSUER], expirationSeconds: 600, claim });
  await assert.rejects(
    authn.authenticateToken(token, ['https://elsewhere']),
    /token audiences \["https:\/\/kubernetes.default.svc.cluster.local"\] is invalid for the target audiences \["https:\/\/elsewhere"\]/,
  );
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forged = await new TokenSigner(stranger.privateKey, ISSUER).sign({
    audiences: [ISSUER],
    expirationSeconds: 600,
    claim,
  });
  await assert.rejects(authn.authenticateToken(forged.token, []), AuthenticationError);
});

test('other issuers and non-JWTs are not ours', async () => {
  const { authn } = setup();
  const foreign = await new TokenSigner(privateKey, 'https://other-issuer').sign({
    audiences: [ISSUER],
    expirationSeconds: 600,
    claim,
  });
  assert.equal(await authn.authenticateToken(foreign.token, []), null);
  assert.equal(await authn.authenticateToken('static-token', []), null);
});

test('legacy secret-based tokens: valid while the Secret holds them', async () => {
  const { authn, objects } = setup();
  const token = await new SignJWT({
    'kubernetes.io/serviceaccount/namespace': 'default',
    'kubernetes.io/serviceaccount/secret.name': 'robot-token',
    'kubernetes.io/serviceaccount/service-account.name': 'robot',
    'kubernetes.io/serviceaccount/service-account.uid': 'sa-uid',
  })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer('kubernetes/serviceaccount')
    .setSubject('system:serviceaccount:default:robot')
    .sign(privateKey);
  objects.put('secrets', 'robot-token', 's-uid', {
    data: { token: Buffer.from(token).toString('base64') },
  });
  const out = await authn.authenticateToken(token, []);
  assert.equal(out?.user.username, 'system:serviceaccount:default:robot');
  assert.deepEqual(out?.audiences, [ISSUER]);
  objects.put('secrets', 'robot-token', 's-uid', { data: { token: 'b3RoZXI=' } });
  await assert.rejects(authn.authenticateToken(token, []), /Token does not match server's copy/);
});
