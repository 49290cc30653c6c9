// Authentication end to end (issue #4): static tokens, ServiceAccount tokens from
// `kubectl create token` (and their invalidation), OIDC against a local issuer, the front
// proxy's request headers, anonymous requests, `kubectl auth whoami` and TokenReview.
// Runs under the launcher's RBAC: the admin certificate is system:masters, and every other
// user here only creates SelfSubjectReviews (system:basic-user) or is expected to be refused.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubectl, waitFor } from '@splitplane/testing';
import { type Plane, ok, startPlane } from './plane.js';
import {
  FRONT_PROXY_CN,
  type FrontProxy,
  type OidcIssuer,
  SELF_SUBJECT_REVIEW,
  UNAUTHORIZED_BODY,
  frontProxyPki,
  rawCall,
  startOidcIssuer,
  tokenKubeconfig,
} from './authn-fixtures.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const SSR_PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

describe('authentication', { timeout: 600_000 }, () => {
  let plane: Plane;
  let dir: string;
  let oidc: OidcIssuer;
  let proxy: FrontProxy;
  let tokenConfig: string;

  /** kubectl with only a bearer token (no client certificate). */
  const asToken = (token: string, args: string[]) =>
    kubectl([`--token=${token}`, ...args], { kubeconfig: tokenConfig, timeoutMs: 60_000 });
  const whoami = async (token: string) =>
    JSON.parse(await ok(asToken(token, ['auth', 'whoami', '-o', 'json']))).status.userInfo;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitplane-authn-'));
    const tokens = join(dir, 'tokens.csv');
    await writeFile(tokens, 'static-token-1,jane,1234,"devs,qa"\nstatic-token-2,joe,1235\n');
    oidc = await startOidcIssuer(dir);
    proxy = await frontProxyPki(dir);
    plane = await startPlane({
      gatewayArgs: [
        `--token-auth-file=${tokens}`,
        `--oidc-issuer-url=${oidc.url}`,
        '--oidc-client-id=splitplane',
        `--oidc-ca-file=${oidc.caFile}`,
        '--oidc-groups-claim=groups',
        '--oidc-groups-prefix=oidc:',
        `--requestheader-client-ca-file=${proxy.caFile}`,
        `--requestheader-allowed-names=${FRONT_PROXY_CN}`,
        '--requestheader-username-headers=X-Remote-User',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      ],
    });
    tokenConfig = await tokenKubeconfig(dir, plane.server, plane.tls.ca);
  });

  after(async () => {
    await plane?.stop();
    await oidc?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the admin certificate: kubectl auth whoami shows CN, O and system:authenticated', async () => {
    const out = await ok(plane.kubectl(['auth', 'whoami']));
    assert.match(out, /^Username\s+kubernetes-admin$/m);
    assert.match(out, /^Groups\s+\[system:masters system:authenticated\]$/m);
  });

  it('a static token user (--token-auth-file) via kubectl --token', async () => {
    const out = await ok(asToken('static-token-1', ['auth', 'whoami']));
    assert.match(out, /^Username\s+jane$/m);
    assert.match(out, /^UID\s+1234$/m);
    assert.match(out, /^Groups\s+\[devs qa system:authenticated\]$/m);
    assert.deepEqual(await whoami('static-token-2'), {
      username: 'joe',
      uid: '1235',
      groups: ['system:authenticated'],
    });
  });

  it('a bad bearer token is kube’s exact 401, even with anonymous auth on', async () => {
    const res = await rawCall(`${plane.server}/api/v1/namespaces`, plane.tls.ca, 'GET', {
      headers: { authorization: 'Bearer no-such-token' },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.trim(), UNAUTHORIZED_BODY);
    const r = await asToken('no-such-token', ['get', 'namespaces']);
    assert.notEqual(r.code, 0);
    // kubectl's discovery words a 401 this way.
    assert.match(r.stderr, /Unauthorized|provide credentials/);
  });

  it('kubectl create token: the ServiceAccount token works until the ServiceAccount is deleted', async () => {
    await ok(plane.kubectl(['create', 'serviceaccount', 'robot']));
    const sa = JSON.parse(await ok(plane.kubectl(['get', 'sa', 'robot', '-o', 'json'])));
    const token = (await ok(plane.kubectl(['create', 'token', 'robot']))).trim();
    const user = await whoami(token);
    assert.equal(user.username, 'system:serviceaccount:default:robot');
    assert.equal(user.uid, sa.metadata.uid);
    assert.deepEqual(user.groups, [
      'system:serviceaccounts',
      'system:serviceaccounts:default',
      'system:authenticated',
    ]);
    assert.match(
      user.extra['authentication.kubernetes.io/credential-id'][0],
      /^JTI=[0-9a-f-]{36}$/,
    );

    // The claims layout kube writes.
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    assert.equal(claims.iss, ISSUER);
    assert.deepEqual(claims.aud, [ISSUER]);
    assert.equal(claims.sub, 'system:serviceaccount:default:robot');
    assert.equal(claims.exp - claims.iat, 3600);
    assert.deepEqual(claims['kubernetes.io'], {
      namespace: 'default',
      serviceaccount: { name: 'robot', uid: sa.metadata.uid },
    });

    // Authenticated, and RBAC has granted the ServiceAccount nothing in the namespace.
    const forbidden = await asToken(token, ['get', 'configmaps', '-n', 'default']);
    assert.match(
      forbidden.stderr,
      /configmaps is forbidden: User "system:serviceaccount:default:robot" cannot list resource "configmaps" in API group "" in the namespace "default"/,
    );

    await ok(plane.kubectl(['delete', 'serviceaccount', 'robot']));
    await waitFor(
      async () => (await asToken(token, ['auth', 'whoami'])).stderr.includes('Unauthorized'),
      {
        timeoutMs: 30_000,
        intervalMs: 500,
        message: 'the deleted ServiceAccount’s token to be refused',
      },
    );
  });

  it('a token bound to a pod carries the pod in extra and stops working once the pod is deleted', async () => {
    await ok(plane.kubectl(['create', 'serviceaccount', 'runner']));
    await ok(
      plane.kubectl(
        ['apply', '-f', '-'],
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'bound', namespace: 'default' },
          spec: { serviceAccountName: 'runner', containers: [{ name: 'c', image: 'busybox' }] },
        }),
      ),
    );
    const pod = JSON.parse(await ok(plane.kubectl(['get', 'pod', 'bound', '-o', 'json'])));
    const token = (
      await ok(
        plane.kubectl([
          'create',
          'token',
          'runner',
          '--bound-object-kind=Pod',
          '--bound-object-name=bound',
          '--duration=20m',
        ]),
      )
    ).trim();
    const user = await whoami(token);
    assert.equal(user.username, 'system:serviceaccount:default:runner');
    assert.deepEqual(user.extra['authentication.kubernetes.io/pod-name'], ['bound']);
    assert.deepEqual(user.extra['authentication.kubernetes.io/pod-uid'], [pod.metadata.uid]);

    await ok(plane.kubectl(['delete', 'pod', 'bound', '--wait=false']));
    await waitFor(
      async () => (await asToken(token, ['auth', 'whoami'])).stderr.includes('Unauthorized'),
      { timeoutMs: 30_000, intervalMs: 500, message: 'the deleted pod’s token to be refused' },
    );
  });

  it('TokenRequest refuses a missing ServiceAccount and a too-short duration', async () => {
    const missing = await plane.kubectl(['create', 'token', 'nobody-here']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /serviceaccounts "nobody-here" not found/);
    await ok(plane.kubectl(['create', 'serviceaccount', 'shorty']));
    const short = await plane.kubectl(['create', 'token', 'shorty', '--duration=5m']);
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /may not specify a duration less than 10 minutes/);
  });

  it('TokenReview: valid, invalid and wrong-audience tokens', async () => {
    await ok(plane.kubectl(['create', 'serviceaccount', 'reviewed']));
    const token = (await ok(plane.kubectl(['create', 'token', 'reviewed']))).trim();
    // --validate=false: for a kind without PATCH, kubectl's field-validation probe lists CRDs,
    // which the plane does not serve yet (kube-apiserver answers that list).
    const review = async (spec: Record<string, unknown>) =>
      JSON.parse(
        await ok(
          plane.kubectl(
            ['create', '--validate=false', '-f', '-', '-o', 'json'],
            JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec }),
          ),
        ),
      ).status;

    const valid = await review({ token });
    assert.equal(valid.authenticated, true);
    assert.equal(valid.user.username, 'system:serviceaccount:default:reviewed');
    assert.deepEqual(valid.audiences, [ISSUER]);

    const invalid = await review({ token: 'not-a-token' });
    assert.equal(invalid.authenticated, undefined);
    assert.ok(invalid.error, 'an invalid token has an error');

    const wrongAudience = await review({ token, audiences: ['https://elsewhere.example'] });
    assert.equal(wrongAudience.authenticated, undefined);
    assert.match(wrongAudience.error, /audiences/);

    const file = await review({ token: 'static-token-2' });
    assert.equal(file.authenticated, true);
    assert.equal(file.user.username, 'joe');
  });

  it('discovery lists the authentication.k8s.io kinds', async () => {
    const out = await ok(
      plane.kubectl(['api-resources', '--api-group=authentication.k8s.io', '--no-headers']),
    );
    assert.match(
      out,
      /^selfsubjectreviews\s+authentication.k8s.io\/v1\s+false\s+SelfSubjectReview$/m,
    );
    assert.match(out, /^tokenreviews\s+authentication.k8s.io\/v1\s+false\s+TokenReview$/m);
  });

  it('OIDC: a token from the configured issuer, with kube’s default username prefix', async () => {
    const token = await oidc.sign({ aud: 'splitplane', sub: 'alice', groups: ['admins', 'ops'] });
    assert.deepEqual(await whoami(token), {
      username: `${oidc.url}#alice`,
      groups: ['oidc:admins', 'oidc:ops', 'system:authenticated'],
    });
    const otherAudience = await oidc.sign({ aud: 'someone-else', sub: 'alice' });
    assert.match((await asToken(otherAudience, ['auth', 'whoami'])).stderr, /Unauthorized/);
    const expired = await oidc.sign(
      { aud: 'splitplane', sub: 'alice' },
      { expiresInSeconds: -600 },
    );
    assert.match((await asToken(expired, ['auth', 'whoami'])).stderr, /Unauthorized/);
  });

  it('front proxy: headers from the proxy’s certificate assert the user', async () => {
    const res = await rawCall(`${plane.server}${SSR_PATH}`, plane.tls.ca, 'POST', {
      cert: proxy.proxy,
      body: SELF_SUBJECT_REVIEW,
      headers: {
        'X-Remote-User': 'proxied-user',
        'X-Remote-Group': ['team-a', 'team-b'],
        'X-Remote-Extra-Scopes': 'read',
      },
    });
    assert.equal(res.status, 201, res.body);
    assert.deepEqual(res.json().status.userInfo, {
      username: 'proxied-user',
      groups: ['team-a', 'team-b', 'system:authenticated'],
      extra: { scopes: ['read'] },
    });
  });

  it('front proxy: a certificate with another CN is refused; without a certificate the headers are ignored', async () => {
    const headers = { 'X-Remote-User': 'proxied-user', 'X-Remote-Group': 'system:masters' };
    const wrong = await rawCall(`${plane.server}${SSR_PATH}`, plane.tls.ca, 'POST', {
      cert: proxy.wrongName,
      body: SELF_SUBJECT_REVIEW,
      headers,
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.trim(), UNAUTHORIZED_BODY);

    const noCert = await rawCall(`${plane.server}${SSR_PATH}`, plane.tls.ca, 'POST', {
      body: SELF_SUBJECT_REVIEW,
      headers,
    });
    // Anonymous: the headers are ignored, and RBAC gives system:anonymous no reviews.
    assert.equal(noCert.status, 403, noCert.body);
    assert.equal(
      noCert.json().message,
      'selfsubjectreviews.authentication.k8s.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope',
    );
  });

  it('anonymous: /version is public; /api/v1/pods is RBAC’s to refuse', async () => {
    const version = await rawCall(`${plane.server}/version`, plane.tls.ca, 'GET');
    assert.equal(version.status, 200);
    assert.ok(version.json().gitVersion);
    const pods = await rawCall(`${plane.server}/api/v1/pods`, plane.tls.ca, 'GET');
    // RBAC (the launcher's default) gives system:anonymous public-info paths only.
    assert.deepEqual(pods.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" at the cluster scope',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
  });
});
