import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createServer } from 'node:net';
import { StatusError } from '@splitplane/apimachinery';
import { hook, namespaces, newContext, podCreate, source } from './test-fixtures.js';
import { startWebhookServer, type TestWebhookServer } from './test-webhook-server.js';
import { ValidatingWebhookPlugin } from './validating.js';
import type { WebhookSpec } from './types.js';

let server: TestWebhookServer;
before(async () => {
  server = await startWebhookServer(['hooks.webhooks.svc']);
  server.handle('/allow', () => ({ allowed: true }));
  server.handle('/deny', () => ({
    allowed: false,
    status: { code: 403, reason: 'Forbidden', message: 'pods named web are not allowed' },
  }));
  server.handle('/deny-bare', () => ({ allowed: false }));
  server.handle('/warn', () => ({
    allowed: true,
    warnings: ['image nginx has no tag'],
    auditAnnotations: { decision: 'ok', 'not/qualified': 'dropped', 'bad key': 'dropped' },
  }));
  server.handle('/hang', () => 'hang');
  server.handle('/status-500', () => ({ httpStatus: 500, text: 'webhook broke\n' }));
  server.handle('/wrong-uid', () => ({ uid: 'other', allowed: true }));
  server.handle('/v1beta1', () => ({
    rawBody: {
      apiVersion: 'admission.k8s.io/v1beta1',
      kind: 'AdmissionReview',
      response: { allowed: false },
    },
  }));
  server.handle('/patching', () => ({ allowed: true, patchType: 'JSONPatch', patch: 'W10=' }));
  server.handle('/absent', () => ({
    rawBody: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' },
  }));
});
after(() => server.close());

const plugin = (...webhooks: WebhookSpec[]) =>
  new ValidatingWebhookPlugin({
    configurations: source('ValidatingWebhookConfiguration', webhooks),
    namespaces: namespaces({ default: { env: 'prod' } }),
    serviceResolver: { resolve: () => ({ host: '127.0.0.1', port: server.port }) },
  });
const url = (path: string) => ({ url: server.url(path), caBundle: server.caBundle });

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function rejects(
  p: Promise<unknown>,
  code: number,
  reason: string | undefined,
  message: string,
) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StatusError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.reason, reason);
    assert.equal(err.status.message, message);
    return true;
  });
}

test('an allowing webhook admits and receives an AdmissionReview v1 request', async () => {
  const before = server.received.length;
  await plugin(hook('allow.example.com', url('/allow'))).validate(podCreate(), newContext());
  const got = server.received.slice(before);
  assert.equal(got.length, 1);
  const req = got[0]!.review.request;
  assert.equal((got[0]!.review as Record<string, unknown>)['apiVersion'], 'admission.k8s.io/v1');
  // A fresh uid per call, as kube makes one for every webhook call.
  assert.match(req.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.notEqual(req.uid, podCreate().uid);
  assert.deepEqual(req['kind'], { group: '', version: 'v1', kind: 'Pod' });
  assert.deepEqual(req['resource'], { group: '', version: 'v1', resource: 'pods' });
  assert.deepEqual(req['requestResource'], { group: '', version: 'v1', resource: 'pods' });
  assert.equal(req['operation'], 'CREATE');
  assert.equal(req['namespace'], 'default');
  assert.equal(req['name'], 'web');
  assert.deepEqual(req['userInfo'], {
    username: 'alice',
    uid: 'u1',
    groups: ['system:authenticated'],
  });
  assert.equal((req['object'] as { metadata: { name: string } }).metadata.name, 'web');
  assert.equal(req['oldObject'], null);
  assert.equal(req['dryRun'], false);
  assert.deepEqual(req['options'], { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' });
});

test('a denial carries the webhook code, reason and kube message', async () => {
  await rejects(
    plugin(hook('deny.example.com', url('/deny'))).validate(podCreate(), newContext()),
    403,
    'Forbidden',
    'admission webhook "deny.example.com" denied the request: pods named web are not allowed',
  );
  await rejects(
    plugin(hook('bare.example.com', url('/deny-bare'))).validate(podCreate(), newContext()),
    400,
    undefined,
    'admission webhook "bare.example.com" denied the request without explanation',
  );
});

test('warnings and webhook-prefixed audit annotations reach the context', async () => {
  const ctx = newContext();
  await plugin(hook('warn.example.com', url('/warn'))).validate(podCreate(), ctx);
  assert.deepEqual(ctx.warnings, ['image nginx has no tag']);
  // kube drops keys that are not `<prefix>/<qualified name>` once prefixed.
  assert.deepEqual(ctx.auditAnnotations, { 'warn.example.com/decision': 'ok' });
});

test("a timeout fails closed with kube's 500, or is ignored under Ignore", async () => {
  const slow = hook('slow.example.com', url('/hang'), { timeoutSeconds: 1 });
  await rejects(
    plugin(slow).validate(podCreate(), newContext()),
    500,
    'InternalError',
    `Internal error occurred: failed calling webhook "slow.example.com": failed to call webhook: ` +
      `Post "https://127.0.0.1:${server.port}/hang?timeout=1s": context deadline exceeded`,
  );
  const ctx = newContext();
  await plugin({ ...slow, failurePolicy: 'Ignore' }).validate(podCreate(), ctx);
  assert.equal(
    ctx.auditAnnotations['failed-open.validating.webhook.admission.k8s.io/round_0_index_0'],
    'slow.example.com',
  );
});

test('a down server fails closed under Fail (the default) and is skipped under Ignore', async () => {
  const port = await closedPort();
  const down = hook('down.example.com', {
    url: `https://127.0.0.1:${port}/x`,
    caBundle: server.caBundle,
  });
  await rejects(
    plugin(down).validate(podCreate(), newContext()),
    500,
    'InternalError',
    `Internal error occurred: failed calling webhook "down.example.com": failed to call webhook: ` +
      `Post "https://127.0.0.1:${port}/x?timeout=10s": dial tcp 127.0.0.1:${port}: connect: connection refused`,
  );
  await plugin(
    { ...down, failurePolicy: 'Ignore' },
    hook('allow.example.com', url('/allow')),
  ).validate(podCreate(), newContext());
});

test('an untrusted certificate is a call failure', async () => {
  const untrusted = hook('tls.example.com', { url: server.url('/allow') });
  await assert.rejects(
    plugin(untrusted).validate(podCreate(), newContext()),
    (err: unknown) =>
      err instanceof StatusError &&
      err.code === 500 &&
      /failed to call webhook: Post ".*": tls: failed to verify certificate/.test(
        err.status.message ?? '',
      ),
  );
});

test("a certificate for other names is refused with Go's wording", async () => {
  const svc = hook('svc.example.com', {
    service: { namespace: 'other', name: 'hooks', path: '/allow' },
    caBundle: server.caBundle,
  });
  await rejects(
    plugin(svc).validate(podCreate(), newContext()),
    500,
    'InternalError',
    'Internal error occurred: failed calling webhook "svc.example.com": failed to call webhook: ' +
      'Post "https://hooks.other.svc:443/allow?timeout=10s": tls: failed to verify certificate: ' +
      'x509: certificate is valid for localhost, hooks.webhooks.svc, not hooks.other.svc',
  );
});

test('options without a kind are sent typed, as kube sends them', async () => {
  await plugin(hook('allow.example.com', url('/allow'))).validate(
    podCreate({ operation: 'UPDATE', options: { fieldManager: 'kubectl' } }),
    newContext(),
  );
  assert.deepEqual(server.received.at(-1)!.review.request['options'], {
    kind: 'UpdateOptions',
    apiVersion: 'meta.k8s.io/v1',
    fieldManager: 'kubectl',
  });
});

test('dry run: a webhook with side effects refuses with 400, None/NoneOnDryRun are called', async () => {
  const dry = podCreate({ dryRun: true });
  for (const sideEffects of ['Some', 'Unknown'] as const) {
    await rejects(
      plugin(hook('fx.example.com', url('/allow'), { sideEffects })).validate(dry, newContext()),
      400,
      'BadRequest',
      'admission webhook "fx.example.com" does not support dry run',
    );
  }
  // An unset sideEffects is a call failure, so failurePolicy decides.
  await rejects(
    plugin(hook('fx.example.com', url('/allow'), { sideEffects: undefined })).validate(
      dry,
      newContext(),
    ),
    500,
    'InternalError',
    'Internal error occurred: failed calling webhook "fx.example.com": Webhook SideEffects is nil',
  );
  for (const sideEffects of ['None', 'NoneOnDryRun'] as const) {
    const before = server.received.length;
    await plugin(hook('fx.example.com', url('/allow'), { sideEffects })).validate(
      dry,
      newContext(),
    );
    assert.equal(server.received.at(-1)!.review.request['dryRun'], true);
    assert.equal(server.received.length, before + 1);
  }
});

test('a service reference is called as https://<name>.<namespace>.svc:<port><path>', async () => {
  const svc = hook('svc.example.com', {
    service: { namespace: 'webhooks', name: 'hooks', path: '/deny', port: 8443 },
    caBundle: server.caBundle,
  });
  await rejects(
    plugin(svc).validate(podCreate(), newContext()),
    403,
    'Forbidden',
    'admission webhook "svc.example.com" denied the request: pods named web are not allowed',
  );
  // The service name is what the certificate is checked against, and what errors show.
  const hang = hook(
    'svc.example.com',
    {
      service: { namespace: 'webhooks', name: 'hooks', path: '/hang' },
      caBundle: server.caBundle,
    },
    { timeoutSeconds: 1 },
  );
  await rejects(
    plugin(hang).validate(podCreate(), newContext()),
    500,
    'InternalError',
    'Internal error occurred: failed calling webhook "svc.example.com": failed to call webhook: ' +
      'Post "https://hooks.webhooks.svc:443/hang?timeout=1s": context deadline exceeded',
  );
});

test('selectors decide whether the webhook is called at all', async () => {
  const before = server.received.length;
  await plugin(
    hook('ns.example.com', url('/deny'), { namespaceSelector: { matchLabels: { env: 'dev' } } }),
    hook('obj.example.com', url('/deny'), { objectSelector: { matchLabels: { app: 'db' } } }),
  ).validate(podCreate(), newContext());
  assert.equal(server.received.length, before);
  await rejects(
    plugin(
      hook('ns.example.com', url('/deny'), { namespaceSelector: { matchLabels: { env: 'prod' } } }),
    ).validate(podCreate(), newContext()),
    403,
    'Forbidden',
    'admission webhook "ns.example.com" denied the request: pods named web are not allowed',
  );
});

test('matchConditions without a CEL evaluator: 403 under Fail, skipped under Ignore', async () => {
  const mc = hook('mc.example.com', url('/deny'), {
    matchConditions: [{ name: 'c', expression: 'true' }],
  });
  await assert.rejects(
    plugin(mc).validate(podCreate(), newContext()),
    (err: unknown) =>
      err instanceof StatusError &&
      err.code === 403 &&
      (err.status.message ?? '').startsWith(
        'pods "web" is forbidden: matchConditions are not supported',
      ),
  );
  await plugin({ ...mc, failurePolicy: 'Ignore' }).validate(podCreate(), newContext());
  const evaluated = new ValidatingWebhookPlugin({
    configurations: source('ValidatingWebhookConfiguration', [mc]),
    namespaces: namespaces({}),
    matchConditions: {
      evaluate: (conditions, _attributes, matchedAs) => {
        assert.deepEqual(conditions, [{ name: 'c', expression: 'true' }]);
        assert.deepEqual(matchedAs.kind, { group: '', version: 'v1', kind: 'Pod' });
        return { matches: false, failedCondition: 'c' };
      },
    },
  });
  await evaluated.validate(podCreate(), newContext());
});

test('handles() every operation, whatever is configured (configurations change live)', () => {
  const p = plugin(hook('h', url('/allow')));
  for (const op of ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const)
    assert.equal(p.handles(op), true);
});

test("invalid answers are call failures with kube's reasons", async () => {
  const cases: [string, RegExp][] = [
    [
      '/status-500',
      /^failed to call webhook: an error on the server \("webhook broke"\) has prevented the request from succeeding$/,
    ],
    ['/unrouted', /^failed to call webhook: the server could not find the requested resource$/],
    [
      '/wrong-uid',
      /^received invalid webhook response: expected response\.uid="[0-9a-f-]{36}", got "other"$/,
    ],
    [
      '/patching',
      /^received invalid webhook response: validating webhook may not return response\.patch$/,
    ],
    ['/absent', /^received invalid webhook response: webhook response was absent$/],
  ];
  for (const [path, reason] of cases) {
    await assert.rejects(
      plugin(hook('bad.example.com', url(path))).validate(podCreate(), newContext()),
      (err: unknown) => {
        assert.ok(err instanceof StatusError);
        assert.equal(err.code, 500);
        const prefix = 'Internal error occurred: failed calling webhook "bad.example.com": ';
        assert.ok(err.status.message?.startsWith(prefix), err.status.message);
        assert.match(err.status.message!.slice(prefix.length), reason);
        return true;
      },
    );
  }
  await rejects(
    plugin(hook('old.example.com', url('/allow'), { admissionReviewVersions: ['v2'] })).validate(
      podCreate(),
      newContext(),
    ),
    500,
    'InternalError',
    'Internal error occurred: failed calling webhook "old.example.com": could not create admission objects: webhook does not accept known AdmissionReview versions (v1, v1beta1)',
  );
});

test('a v1beta1-only webhook gets and may answer an admission.k8s.io/v1beta1 review', async () => {
  const since = server.received.length;
  await rejects(
    plugin(
      hook('beta.example.com', url('/v1beta1'), { admissionReviewVersions: ['v1beta1'] }),
    ).validate(podCreate(), newContext()),
    400,
    undefined,
    'admission webhook "beta.example.com" denied the request without explanation',
  );
  assert.equal(
    (server.received[since]!.review as Record<string, unknown>)['apiVersion'],
    'admission.k8s.io/v1beta1',
  );
});
