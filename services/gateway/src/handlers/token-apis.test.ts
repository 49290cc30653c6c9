// TokenRequest, TokenReview and SelfSubjectReview through the gateway (fake backends hold the
// ServiceAccount and Pod the watch-cache Get returns); and front-proxy headers end to end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCA, issueClientCert, type CertAndKey } from '@splitplane/pki';
import { encodeObject, decodeObject } from '@splitplane/k8s-protobuf';
import { type Harness, startHarness } from '../testing/harness.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const TOKEN_PATH = '/api/v1/namespaces/default/serviceaccounts/robot/token';
const json = { 'content-type': 'application/json' };

let h: Harness;
let dir: string;
let proxy: CertAndKey;
let proxyCaPem: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'token-apis-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFile(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  const proxyCa = await createCA('front-proxy-ca');
  proxyCaPem = proxyCa.certPem;
  await writeFile(join(dir, 'proxy-ca.crt'), proxyCa.certPem);
  proxy = await issueClientCert(proxyCa, { commonName: 'aggregator' });
  h = await startHarness({
    authentication: {
      serviceAccountKeyFiles: [join(dir, 'sa.pub')],
      serviceAccountSigningKeyFile: join(dir, 'sa.key'),
      serviceAccountIssuers: [ISSUER],
      serviceAccountMaxTokenExpirationSeconds: 7200,
      requestHeader: {
        clientCaFile: join(dir, 'proxy-ca.crt'),
        allowedNames: ['aggregator'],
        usernameHeaders: ['X-Remote-User'],
        uidHeaders: ['X-Remote-Uid'],
        groupHeaders: ['X-Remote-Group'],
        extraHeadersPrefix: ['X-Remote-Extra-'],
      },
    },
  });
  h.backends.objects.set('/serviceaccounts/default/robot', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'robot', namespace: 'default', uid: 'sa-uid' },
  });
  h.backends.objects.set('/pods/default/web', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'pod-uid' },
    spec: { serviceAccountName: 'robot' },
  });
});
after(async () => {
  await h.stop();
  await rm(dir, { recursive: true, force: true });
});

const requestToken = (spec: Record<string, unknown>) =>
  h.call('POST', TOKEN_PATH, {
    headers: json,
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec }),
  });

test('TokenRequest: defaults, the max-expiration cap, and a token the gateway then accepts', async () => {
  const res = await requestToken({ expirationSeconds: 90_000 });
  assert.equal(res.status, 201, res.text);
  const body = res.json() as any;
  assert.equal(body.kind, 'TokenRequest');
  assert.equal(body.apiVersion, 'authentication.k8s.io/v1');
  assert.deepEqual(body.spec, {
    audiences: [ISSUER],
    expirationSeconds: 7200,
    boundObjectRef: null,
  });
  assert.match(body.status.expirationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const who = await h.call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    as: h.anonymous,
    headers: { ...json, authorization: `Bearer ${body.status.token}` },
    body: '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}',
  });
  assert.equal(who.status, 201, who.text);
  assert.equal((who.json() as any).status.userInfo.username, 'system:serviceaccount:default:robot');
  assert.equal((who.json() as any).status.userInfo.uid, 'sa-uid');
});

test('TokenRequest: a protobuf body (as kubectl sends it) and a protobuf answer', async () => {
  const pb = encodeObject({
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { creationTimestamp: null },
    spec: { audiences: ['api'], expirationSeconds: 600 },
  });
  const res = await h.call('POST', TOKEN_PATH, {
    headers: {
      'content-type': 'application/vnd.kubernetes.protobuf',
      accept: 'application/vnd.kubernetes.protobuf',
    },
    body: Buffer.from(pb),
  });
  assert.equal(res.status, 201, res.text);
  const out = decodeObject(new Uint8Array(res.body)).object as any;
  assert.equal(out.kind, 'TokenRequest');
  assert.deepEqual(out.spec.audiences, ['api']);
  assert.ok(out.status.token);
});

test('TokenRequest: kube’s errors for a short duration, a missing ServiceAccount, a wrong bound uid', async () => {
  const short = await requestToken({ expirationSeconds: 60 });
  assert.equal(short.status, 422);
  assert.equal(
    (short.json() as any).message,
    'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
  );
  const missing = await h.call('POST', '/api/v1/namespaces/default/serviceaccounts/ghost/token', {
    headers: json,
    body: '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}',
  });
  assert.equal(missing.status, 404);
  assert.equal((missing.json() as any).message, 'serviceaccounts "ghost" not found');
  const wrongUid = await requestToken({
    boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'stale' },
  });
  assert.equal(wrongUid.status, 409, wrongUid.text);
  const badKind = await requestToken({
    boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n' },
  });
  assert.equal(badKind.status, 400, badKind.text);
  assert.equal(
    (badKind.json() as any).message,
    'cannot bind token to object of type /v1, Kind=Node',
  );
  assert.equal(
    (wrongUid.json() as any).message,
    'Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (stale) does not match the UID in record. The object might have been deleted and then recreated',
  );
});

test('TokenReview: a pod-bound token, then the same token for other audiences', async () => {
  const issued = await requestToken({
    boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'pod-uid' },
  });
  const token = (issued.json() as any).status.token as string;
  const review = async (spec: Record<string, unknown>) => {
    const res = await h.call('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
      headers: json,
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec }),
    });
    assert.equal(res.status, 201, res.text);
    return res.json() as any;
  };
  const ok = await review({ token });
  assert.equal(ok.status.authenticated, true);
  assert.deepEqual(ok.status.user, {
    username: 'system:serviceaccount:default:robot',
    uid: 'sa-uid',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    extra: {
      'authentication.kubernetes.io/pod-name': ['web'],
      'authentication.kubernetes.io/pod-uid': ['pod-uid'],
      'authentication.kubernetes.io/credential-id': [
        ok.status.user.extra['authentication.kubernetes.io/credential-id'][0],
      ],
    },
  });
  assert.deepEqual(ok.status.audiences, [ISSUER]);
  const other = await review({ token, audiences: ['vault'] });
  assert.deepEqual(other.status.user, {});
  assert.equal(other.status.authenticated, undefined);
  assert.match(other.status.error, /invalid for the target audiences \["vault"\]/);

  const empty = await h.call('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
    headers: json,
    body: '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{}}',
  });
  assert.equal(empty.status, 400);
  assert.equal(
    (empty.json() as any).message,
    'token is required for TokenReview in authentication',
  );
});

test('SelfSubjectReview in v1, v1beta1 and v1alpha1', async () => {
  for (const v of ['v1', 'v1beta1', 'v1alpha1']) {
    const res = await h.call('POST', `/apis/authentication.k8s.io/${v}/selfsubjectreviews`, {
      as: h.bob,
      headers: json,
      body: `{"apiVersion":"authentication.k8s.io/${v}","kind":"SelfSubjectReview"}`,
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json() as any, {
      kind: 'SelfSubjectReview',
      apiVersion: `authentication.k8s.io/${v}`,
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: 'bob', groups: ['dev', 'system:authenticated'] } },
    });
  }
});

test('front proxy: the allowed CN asserts the user; the headers never reach a backend', async () => {
  const as = { ca: h.admin.ca + proxyCaPem, cert: proxy.certPem, key: proxy.keyPem };
  await h.call('GET', '/api/v1/namespaces/default/configmaps?limit=7', {
    as,
    headers: {
      'X-Remote-User': 'dana',
      'X-Remote-Uid': 'u-7',
      'X-Remote-Group': ['g1', 'g2'],
      'X-Remote-Extra-Acme.com%2Fproject': 'p1',
    },
  });
  const authz = h.backends.calls.findLast((c) => c.method === 'Authorizer.Authorize')!.request as {
    user: {
      username: string;
      uid: string;
      groups: string[];
      extra: Record<string, { values: string[] }>;
    };
  };
  assert.equal(authz.user.username, 'dana');
  assert.equal(authz.user.uid, 'u-7');
  assert.deepEqual(authz.user.groups, ['g1', 'g2', 'system:authenticated']);
  assert.deepEqual(authz.user.extra, { 'acme.com/project': { values: ['p1'] } });
});
