import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { MutatingWebhookPlugin } from './mutating.js';
import { hook, namespaces, newContext, podCreate, source } from './test-fixtures.js';
import {
  startWebhookServer,
  type ReceivedReview,
  type TestWebhookServer,
} from './test-webhook-server.js';
import type { WebhookSpec } from './types.js';

const b64 = (ops: unknown) => Buffer.from(JSON.stringify(ops)).toString('base64');
const objectOf = (r: ReceivedReview) =>
  r.review.request['object'] as KubeObject & {
    metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  };

let server: TestWebhookServer;
before(async () => {
  server = await startWebhookServer();
  server.handle('/label', () => ({
    allowed: true,
    patchType: 'JSONPatch',
    patch: b64([{ op: 'add', path: '/metadata/labels/injected', value: 'yes' }]),
    warnings: ['label injected'],
  }));
  // Adds an annotation naming how many labels it saw: changes the object only when labels changed.
  server.handle('/count-labels', (r) => {
    const n = Object.keys(objectOf(r).metadata.labels ?? {}).length;
    const annotations = objectOf(r).metadata.annotations;
    if (annotations?.['labels'] === String(n)) return { allowed: true };
    return {
      allowed: true,
      patchType: 'JSONPatch',
      patch: b64([
        { op: 'add', path: '/metadata/annotations', value: { ...annotations, labels: String(n) } },
      ]),
    };
  });
  server.handle('/noop-patch', () => ({ allowed: true, patchType: 'JSONPatch', patch: b64([]) }));
  server.handle('/bad-patch', () => ({
    allowed: true,
    patchType: 'JSONPatch',
    patch: b64([{ op: 'replace', path: '/spec/missing/deep', value: 1 }]),
  }));
  server.handle('/deny', () => ({ allowed: false, status: { code: 422, message: 'no' } }));
  server.handle('/hang', () => 'hang');
});
after(() => server.close());

const plugin = (...webhooks: WebhookSpec[]) =>
  new MutatingWebhookPlugin({
    configurations: source('MutatingWebhookConfiguration', webhooks),
    namespaces: namespaces({ default: {} }),
  });
const url = (path: string) => ({ url: server.url(path), caBundle: server.caBundle });
const calls = (path: string, since: number) =>
  server.received.slice(since).filter((r) => r.path === path);

test('a JSONPatch response is applied to the object in place, with warnings', async () => {
  const attrs = podCreate();
  const obj = attrs.object!;
  const ctx = newContext();
  await plugin(hook('label.example.com', url('/label'))).admit(attrs, ctx);
  assert.equal(attrs.object, obj);
  assert.deepEqual(obj.metadata?.labels, { app: 'web', injected: 'yes' });
  assert.deepEqual(ctx.warnings, ['label injected']);
  assert.equal(
    ctx.auditAnnotations['mutation.webhook.admission.k8s.io/round_0_index_0'],
    JSON.stringify({ configuration: 'config-0', webhook: 'label.example.com', mutated: true }),
  );
});

test("each webhook sees the previous one's patch; an empty patch changes nothing", async () => {
  const since = server.received.length;
  const attrs = podCreate();
  await plugin(
    hook('label.example.com', url('/label')),
    hook('noop.example.com', url('/noop-patch')),
    hook('count.example.com', url('/count-labels')),
  ).admit(attrs, newContext());
  assert.deepEqual(objectOf(calls('/count-labels', since)[0]!).metadata.labels, {
    app: 'web',
    injected: 'yes',
  });
  assert.equal(attrs.object?.metadata?.annotations?.['labels'], '2');
});

test('reinvocationPolicy IfNeeded reruns an earlier webhook once a later one changed the object', async () => {
  const since = server.received.length;
  const attrs = podCreate();
  await plugin(
    hook('count.example.com', url('/count-labels'), { reinvocationPolicy: 'IfNeeded' }),
    hook('label.example.com', url('/label')),
  ).admit(attrs, newContext());
  assert.equal(calls('/count-labels', since).length, 2);
  assert.equal(calls('/label', since).length, 1);
  assert.equal(attrs.object?.metadata?.annotations?.['labels'], '2');

  const never = server.received.length;
  const attrs2 = podCreate();
  await plugin(
    hook('count.example.com', url('/count-labels')),
    hook('label.example.com', url('/label')),
  ).admit(attrs2, newContext());
  assert.equal(calls('/count-labels', never).length, 1);
  assert.equal(attrs2.object?.metadata?.annotations?.['labels'], '1');
});

test('IfNeeded is not rerun when nothing after it changed the object', async () => {
  const since = server.received.length;
  await plugin(
    hook('label.example.com', url('/label'), { reinvocationPolicy: 'IfNeeded' }),
    hook('noop.example.com', url('/noop-patch')),
  ).admit(podCreate(), newContext());
  assert.equal(calls('/label', since).length, 1);
});

test('a patch that does not apply is a 500, whatever the failurePolicy', async () => {
  await assert.rejects(
    plugin(hook('bad.example.com', url('/bad-patch'), { failurePolicy: 'Ignore' })).admit(
      podCreate(),
      newContext(),
    ),
    (err: unknown) =>
      err instanceof StatusError && err.code === 500 && err.reason === 'InternalError',
  );
});

test('a mutating denial, and a hung webhook under Fail and Ignore', async () => {
  await assert.rejects(
    plugin(hook('deny.example.com', url('/deny'))).admit(podCreate(), newContext()),
    (err: unknown) =>
      err instanceof StatusError &&
      err.code === 422 &&
      err.status.message === 'admission webhook "deny.example.com" denied the request: no',
  );
  const slow = hook('slow.example.com', url('/hang'), { timeoutSeconds: 1 });
  await assert.rejects(
    plugin(slow).admit(podCreate(), newContext()),
    (err: unknown) =>
      err instanceof StatusError &&
      err.code === 500 &&
      err.status.message ===
        `Internal error occurred: failed calling webhook "slow.example.com": failed to call webhook: ` +
          `Post "https://127.0.0.1:${server.port}/hang?timeout=1s": context deadline exceeded`,
  );
  const attrs = podCreate();
  const ctx = newContext();
  await plugin(
    { ...slow, failurePolicy: 'Ignore' },
    hook('label.example.com', url('/label')),
  ).admit(attrs, ctx);
  assert.equal(attrs.object?.metadata?.labels?.['injected'], 'yes');
  assert.equal(
    ctx.auditAnnotations['failed-open.mutation.webhook.admission.k8s.io/round_0_index_0'],
    'slow.example.com',
  );
});

test('a webhook matched through an equivalent version gets and patches that version', async () => {
  const since = server.received.length;
  const attrs = podCreate({
    kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    resource: { group: 'apps', version: 'v1', resource: 'deployments' },
    object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: {} } },
  });
  const rules = [
    {
      operations: ['CREATE'],
      apiGroups: ['extensions'],
      apiVersions: ['v1beta1'],
      resources: ['deployments'],
    },
  ];
  await plugin(hook('label.example.com', url('/label'), { rules })).admit(attrs, newContext());
  const req = calls('/label', since)[0]!.review.request;
  assert.deepEqual(req['kind'], { group: 'extensions', version: 'v1beta1', kind: 'Deployment' });
  assert.deepEqual(req['requestKind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.equal((req['object'] as KubeObject).apiVersion, 'extensions/v1beta1');
  assert.equal(attrs.object?.apiVersion, 'apps/v1');
  assert.equal(attrs.object?.metadata?.labels?.['injected'], 'yes');
});

test('a later webhook is matched against the object as earlier patches left it', async () => {
  const since = server.received.length;
  await plugin(
    hook('label.example.com', url('/label')),
    hook('count.example.com', url('/count-labels'), {
      objectSelector: { matchLabels: { injected: 'yes' } },
    }),
  ).admit(podCreate(), newContext());
  assert.equal(calls('/count-labels', since).length, 1);
});

test('a dry run refuses a webhook with side effects before calling it', async () => {
  const since = server.received.length;
  await assert.rejects(
    plugin(hook('fx.example.com', url('/label'), { sideEffects: 'Some' })).admit(
      podCreate({ dryRun: true }),
      newContext(),
    ),
    (err: unknown) =>
      err instanceof StatusError &&
      err.code === 400 &&
      err.reason === 'BadRequest' &&
      err.status.message === 'admission webhook "fx.example.com" does not support dry run',
  );
  assert.equal(server.received.length, since);
});

test('an injected converter shapes the object an equivalent-version webhook sees and patches', async () => {
  const since = server.received.length;
  const attrs = podCreate({
    kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    resource: { group: 'apps', version: 'v1', resource: 'deployments' },
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: {} },
      spec: { v1: true },
    },
  });
  const rules = [
    {
      operations: ['CREATE'],
      apiGroups: ['extensions'],
      apiVersions: ['v1beta1'],
      resources: ['deployments'],
    },
  ];
  const p = new MutatingWebhookPlugin({
    configurations: source('MutatingWebhookConfiguration', [
      hook('label.example.com', url('/label'), { rules }),
    ]),
    namespaces: namespaces({ default: {} }),
    objectConverter: {
      convert: (obj, to) => ({
        ...obj,
        apiVersion: to.group ? `${to.group}/${to.version}` : to.version,
        spec: to.version === 'v1' ? { v1: true } : { beta: true },
      }),
    },
  });
  await p.admit(attrs, newContext());
  assert.deepEqual((calls('/label', since)[0]!.review.request['object'] as KubeObject)['spec'], {
    beta: true,
  });
  assert.deepEqual(attrs.object?.['spec'], { v1: true });
  assert.equal(attrs.object?.metadata?.labels?.['injected'], 'yes');
});
