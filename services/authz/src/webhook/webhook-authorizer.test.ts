// The Webhook mode against a real HTTPS server started here, with a test CA: TLS, client
// certificates and tokens from the kubeconfig, the review body, decisions, caching, errors.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createCA, issueClientCert, issueServerCert, type CertAndKey } from '@splitplane/pki';
import { stringify } from 'yaml';
import type { Attributes } from '../authorizer/authorizer.js';
import { parseDuration } from './duration.js';
import { createWebhookAuthorizer, WebhookAuthorizer } from './webhook-authorizer.js';
import { loadWebhookKubeconfig, WebhookConfigError } from './kubeconfig.js';

interface Seen {
  body: { apiVersion: string; kind: string; spec: Record<string, unknown> };
  auth: string | undefined;
  clientCN: string | undefined;
}

let ca: CertAndKey;
let client: CertAndKey;
let server: Server;
let port: number;
let dir: string;
let seen: Seen[] = [];
/** What the server answers next: a status, or an HTTP error code. */
let answer: (spec: Record<string, unknown>) => {
  status?: Record<string, unknown>;
  code?: number;
} = () => ({
  status: { allowed: false },
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

async function kubeconfig(
  name: string,
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = {},
) {
  const file = join(dir, name);
  await writeFile(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'authz',
          cluster: {
            server: `https://127.0.0.1:${port}/authorize`,
            'certificate-authority-data': b64(ca.certPem),
            ...cluster,
          },
        },
      ],
      users: [{ name: 'apiserver', user }],
      contexts: [{ name: 'ctx', context: { cluster: 'authz', user: 'apiserver' } }],
      'current-context': 'ctx',
    }),
  );
  return file;
}

const attrs = (over: Partial<Attributes> = {}): Attributes => ({
  user: {
    username: 'alice',
    uid: 'u1',
    groups: ['dev', 'system:authenticated'],
    extra: { scopes: { values: ['a'] } },
  },
  verb: 'get',
  resourceRequest: true,
  path: '/api/v1/namespaces/ns/pods/p',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'pods',
  subresource: 'log',
  namespace: 'ns',
  name: 'p',
  ...over,
});

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'authz-webhook-'));
  ca = await createCA('webhook-test-ca');
  const serving = await issueServerCert(ca, { commonName: 'webhook' });
  client = await issueClientCert(ca, { commonName: 'kube-apiserver' });
  server = createServer(
    {
      cert: serving.certPem,
      key: serving.keyPem,
      ca: ca.certPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Seen['body'];
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        seen.push({
          body,
          auth: req.headers.authorization,
          clientCN: (req.socket as TLSSocket).authorized
            ? (peer.subject?.CN as string | undefined)
            : undefined,
        });
        const a = answer(body.spec);
        if (a.code) {
          res.writeHead(a.code).end('boom');
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            apiVersion: body.apiVersion,
            kind: 'SubjectAccessReview',
            status: a.status,
          }),
        );
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen = [];
  answer = () => ({ status: { allowed: false } });
});

describe('WebhookAuthorizer', () => {
  it('posts a v1 SubjectAccessReview with a client certificate and maps allowed to Allow', async () => {
    const file = await kubeconfig('cert.yaml', {
      'client-certificate-data': b64(client.certPem),
      'client-key-data': b64(client.keyPem),
    });
    answer = () => ({ status: { allowed: true, reason: 'alice may read logs' } });
    const authorizer = createWebhookAuthorizer({ configFile: file });
    const result = await authorizer.authorize(attrs());
    assert.deepEqual(result, { decision: 'Allow', reason: 'alice may read logs' });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.clientCN, 'kube-apiserver');
    assert.equal(seen[0]!.body.apiVersion, 'authorization.k8s.io/v1');
    assert.equal(seen[0]!.body.kind, 'SubjectAccessReview');
    assert.deepEqual(seen[0]!.body.spec, {
      resourceAttributes: {
        namespace: 'ns',
        verb: 'get',
        group: '',
        version: 'v1',
        resource: 'pods',
        subresource: 'log',
        name: 'p',
      },
      user: 'alice',
      groups: ['dev', 'system:authenticated'],
      extra: { scopes: ['a'] },
      uid: 'u1',
    });
  });

  it('sends a bearer token and non-resource attributes; denied is Deny, neither is NoOpinion', async () => {
    const file = await kubeconfig('token.yaml', { token: 'sekret' });
    const authorizer = createWebhookAuthorizer({ configFile: file });
    answer = (spec) =>
      (spec['nonResourceAttributes'] as { path: string }).path === '/healthz'
        ? { status: { allowed: false, denied: true, reason: 'no health for you' } }
        : { status: { allowed: false, reason: 'not mine', evaluationError: 'rule error' } };
    const nonResource = {
      resourceRequest: false,
      verb: 'get',
      resource: '',
      subresource: '',
      name: '',
      namespace: '',
    };
    assert.deepEqual(await authorizer.authorize(attrs({ ...nonResource, path: '/healthz' })), {
      decision: 'Deny',
      reason: 'no health for you',
    });
    assert.deepEqual(await authorizer.authorize(attrs({ ...nonResource, path: '/metrics' })), {
      decision: 'NoOpinion',
      reason: 'not mine',
      evaluationError: 'rule error',
    });
    assert.equal(seen[0]!.auth, 'Bearer sekret');
    assert.deepEqual(seen[0]!.body.spec['nonResourceAttributes'], {
      path: '/healthz',
      verb: 'get',
    });
  });

  it('both allowed and denied is a Deny with an error', async () => {
    const file = await kubeconfig('both.yaml', { token: 't' });
    answer = () => ({ status: { allowed: true, denied: true } });
    const result = await createWebhookAuthorizer({ configFile: file }).authorize(attrs());
    assert.equal(result.decision, 'Deny');
    assert.match(result.evaluationError ?? '', /both allow and deny/);
  });

  it('caches allowed answers for the authorized TTL and the rest for the unauthorized TTL', async () => {
    const file = await kubeconfig('cache.yaml', { token: 't' });
    let allowed = true;
    answer = () => ({ status: { allowed } });
    const authorizer = new WebhookAuthorizer({
      connection: loadWebhookKubeconfig(file),
      authorizedTtlMs: 60_000,
      unauthorizedTtlMs: 0,
    });
    assert.equal((await authorizer.authorize(attrs())).decision, 'Allow');
    allowed = false;
    assert.equal((await authorizer.authorize(attrs())).decision, 'Allow', 'served from the cache');
    assert.equal(authorizer.requests, 1);
    // Another question is another cache entry; a denied answer with TTL 0 is not kept.
    assert.equal((await authorizer.authorize(attrs({ verb: 'delete' }))).decision, 'NoOpinion');
    assert.equal((await authorizer.authorize(attrs({ verb: 'delete' }))).decision, 'NoOpinion');
    assert.equal(authorizer.requests, 3);
  });

  it('a failing webhook is NoOpinion with the error, after retries, and is not cached', async () => {
    const file = await kubeconfig('fail.yaml', { token: 't' });
    answer = () => ({ code: 500 });
    const authorizer = new WebhookAuthorizer({
      connection: loadWebhookKubeconfig(file),
      retry: { initialMs: 1, factor: 1, attempts: 3 },
    });
    const result = await authorizer.authorize(attrs());
    assert.equal(result.decision, 'NoOpinion');
    assert.match(result.evaluationError ?? '', /HTTP 500/);
    assert.equal(seen.length, 3);
    answer = () => ({ status: { allowed: true } });
    assert.equal((await authorizer.authorize(attrs())).decision, 'Allow');
  });

  it('a server the CA does not vouch for is NoOpinion with a TLS error', async () => {
    const other = await createCA('other-ca');
    const file = await kubeconfig(
      'badca.yaml',
      { token: 't' },
      { 'certificate-authority-data': b64(other.certPem) },
    );
    const authorizer = new WebhookAuthorizer({
      connection: loadWebhookKubeconfig(file),
      retry: { initialMs: 1, factor: 1, attempts: 1 },
    });
    const result = await authorizer.authorize(attrs());
    assert.equal(result.decision, 'NoOpinion');
    assert.match(result.evaluationError ?? '', /certificate/);
    assert.equal(seen.length, 0);
  });

  it('sends v1beta1 reviews with the "group" field', async () => {
    const file = await kubeconfig('beta.yaml', { token: 't' });
    await createWebhookAuthorizer({ configFile: file, version: 'v1beta1' }).authorize(attrs());
    assert.equal(seen[0]!.body.apiVersion, 'authorization.k8s.io/v1beta1');
    assert.deepEqual(seen[0]!.body.spec['group'], ['dev', 'system:authenticated']);
  });
});

describe('webhook configuration', () => {
  it('reads certificate files relative to the kubeconfig', async () => {
    await writeFile(join(dir, 'ca.crt'), ca.certPem);
    await writeFile(join(dir, 'client.crt'), client.certPem);
    await writeFile(join(dir, 'client.key'), client.keyPem);
    const file = await kubeconfig(
      'files.yaml',
      { 'client-certificate': 'client.crt', 'client-key': 'client.key' },
      { 'certificate-authority-data': undefined, 'certificate-authority': 'ca.crt' },
    );
    const conn = loadWebhookKubeconfig(file);
    assert.equal(conn.ca?.toString(), ca.certPem);
    assert.equal(conn.cert?.toString(), client.certPem);
    answer = () => ({ status: { allowed: true } });
    assert.equal(
      (await new WebhookAuthorizer({ connection: conn }).authorize(attrs())).decision,
      'Allow',
    );
  });

  it('rejects a missing file, a bad version and bad durations', async () => {
    assert.throws(() => loadWebhookKubeconfig(join(dir, 'nope.yaml')), WebhookConfigError);
    const file = await kubeconfig('ok.yaml', { token: 't' });
    assert.throws(
      () => createWebhookAuthorizer({ configFile: file, version: 'v2' }),
      /supported versions/,
    );
    assert.throws(
      () => createWebhookAuthorizer({ configFile: file, cacheAuthorizedTtl: '5 minutes' }),
      /invalid duration/,
    );
    assert.throws(() => createWebhookAuthorizer({ configFile: '' }), /config-file is required/);
  });

  it('parses Go durations', () => {
    assert.equal(parseDuration('5m0s'), 300_000);
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('1h2m'), 3_720_000);
    assert.equal(parseDuration('1.5s'), 1_500);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('0'), 0);
    assert.throws(() => parseDuration('5'));
    assert.throws(() => parseDuration('m'));
  });
});
