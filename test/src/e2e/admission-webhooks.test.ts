// Admission webhooks through the real kubectl against a real plane and real HTTPS webhook
// servers this suite starts (a CA of its own, free ports). Each case selects its own
// namespace, so configurations left behind never touch the next case; each waits for its
// configuration to take effect (informers) before asserting kube's exact texts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCA } from '@splitplane/pki';
import { freePort } from '@splitplane/testing';
import {
  configMap,
  coreRule,
  mutating,
  namespace,
  pod,
  validating,
  webhook,
  type Json,
} from '../lib/admission-objects.js';
import { eventually } from '../lib/eventually.js';
import {
  patchResponse,
  startWebhookServer,
  type ReceivedReview,
  type WebhookServer,
} from '../lib/webhook-server.js';
import { ok, startPlane, type Plane } from './plane.js';

const LABEL = 'e2e.splitplane.io/case';
const SERVICE_NS = 'webhook-system';
const SERVICE = 'hooks';
const inCase = (name: string): Json => ({ matchLabels: { [LABEL]: name } });
const forbidden = (message: string) => ({
  allowed: false,
  status: { code: 403, reason: 'Forbidden', message },
});
const nameOf = (r: ReceivedReview) => r.request.object?.metadata?.name as string | undefined;

describe('admission webhooks through kubectl', { timeout: 900_000 }, () => {
  let plane: Plane;
  let hooks: WebhookServer;
  const k = (...args: string[]) => ok(plane.kubectl(args));
  const create = (manifest: string, ...flags: string[]) =>
    plane.kubectl(['create', '-f', '-', ...flags], manifest);
  const apply = (manifest: string) => ok(plane.kubectl(['apply', '-f', '-'], manifest));
  const url = (path: string): Json => ({ url: hooks.url(path), caBundle: hooks.caBundle });
  /** A namespace labelled for its case; default service account ensured for pods. */
  const caseNamespace = async (name: string) => {
    await apply(namespace(name, { [LABEL]: name }));
    const sa = await plane.kubectl(['create', 'serviceaccount', 'default', '-n', name]);
    if (sa.code !== 0) assert.match(sa.stderr, /already exists/);
  };
  /** Creates `<prefix>-<n>` ConfigMaps until one is refused; returns that kubectl result. */
  const firstRefusal = (ns: string, prefix: string, labels: Record<string, string> = {}) =>
    eventually(async (n) => {
      const r = await create(configMap(ns, `${prefix}-${n}`, labels));
      return r.code !== 0 ? { ...r, name: `${prefix}-${n}` } : undefined;
    }, `a refusal in ${ns}`);

  before(async () => {
    [plane, hooks] = await Promise.all([
      startPlane(),
      startWebhookServer({ dnsNames: [`${SERVICE}.${SERVICE_NS}.svc`] }),
    ]);
  });
  after(async () => {
    await Promise.all([plane?.stop(), hooks?.close()]);
  });

  it("a validating webhook by url denies with kube's text, and sees kube's AdmissionReview", async () => {
    await caseNamespace('wh-deny');
    hooks.handle('/deny', (r) => {
      const name = nameOf(r) ?? '';
      if (name.startsWith('bad')) return forbidden('bad names are not allowed');
      if (name.startsWith('mute')) return { allowed: false };
      return { allowed: true };
    });
    await apply(
      validating(
        'deny',
        webhook('deny.example.com', url('/deny'), { namespaceSelector: inCase('wh-deny') }),
      ),
    );
    const denied = await firstRefusal('wh-deny', 'bad');
    assert.equal(
      denied.stderr,
      'Error from server (Forbidden): error when creating "STDIN": admission webhook "deny.example.com" denied the request: bad names are not allowed\n',
    );
    const mute = await create(configMap('wh-deny', 'mute'));
    assert.equal(
      mute.stderr,
      'Error from server: error when creating "STDIN": admission webhook "deny.example.com" denied the request without explanation\n',
    );
    assert.equal(await ok(create(configMap('wh-deny', 'good'))), 'configmap/good created\n');
    const [review] = hooks.receivedOn('/deny', 'good');
    const q = review!.request;
    assert.equal(review!.timeout, '10s');
    assert.match(q.uid, /^[0-9a-f-]{36}$/);
    assert.deepEqual(q.kind, { group: '', version: 'v1', kind: 'ConfigMap' });
    assert.deepEqual(q.resource, { group: '', version: 'v1', resource: 'configmaps' });
    assert.deepEqual(q.requestKind, q.kind);
    assert.deepEqual(q.requestResource, q.resource);
    assert.equal(q.operation, 'CREATE');
    assert.equal(q.namespace, 'wh-deny');
    assert.equal(q.name, 'good');
    assert.equal(q.userInfo.username, 'kubernetes-admin');
    assert.ok(q.userInfo.groups?.includes('system:masters'));
    assert.equal(q.dryRun, false);
    assert.equal(q.options?.kind, 'CreateOptions');
    assert.deepEqual(q.object.data, { k: 'v' });
    assert.equal(q.oldObject ?? null, null);
    assert.equal(await k('get', 'cm', 'good', '-n', 'wh-deny', '-o', 'name'), 'configmap/good\n');
  });

  it('a configuration change takes effect: removed, restored, and re-pointed', async () => {
    await k('delete', 'validatingwebhookconfiguration', 'deny');
    await eventually(async (n) => {
      const r = await create(configMap('wh-deny', `bad-after-delete-${n}`));
      return r.code === 0 || undefined;
    }, 'the deleted configuration to stop denying');
    hooks.handle('/deny-v2', () => forbidden('second version'));
    await apply(
      validating(
        'deny',
        webhook('deny.example.com', url('/deny-v2'), { namespaceSelector: inCase('wh-deny') }),
      ),
    );
    const r = await firstRefusal('wh-deny', 'v2');
    assert.match(r.stderr, /denied the request: second version\n$/);
    await k('delete', 'validatingwebhookconfiguration', 'deny');
  });

  it('warnings from a webhook reach kubectl as Warning: lines', async () => {
    await caseNamespace('wh-warn');
    hooks.handle('/warn', () => ({
      allowed: true,
      warnings: ['configmaps here are deprecated', 'use a Secret for credentials'],
    }));
    await apply(
      validating(
        'warn',
        webhook('warn.example.com', url('/warn'), { namespaceSelector: inCase('wh-warn') }),
      ),
    );
    const r = await eventually(async (n) => {
      const res = await create(configMap('wh-warn', `w-${n}`));
      return res.code === 0 && res.stderr.includes('Warning:') ? { ...res, n } : undefined;
    }, 'the warning webhook');
    assert.equal(r.stdout, `configmap/w-${r.n} created\n`);
    assert.equal(
      r.stderr,
      'Warning: configmaps here are deprecated\nWarning: use a Secret for credentials\n',
    );
  });

  it("a mutating webhook's JSONPatch is applied, and validating webhooks see the result", async () => {
    await caseNamespace('wh-mutate');
    hooks.handle('/inject', (r) => {
      const o = r.request.object;
      return patchResponse([
        { op: 'add', path: '/data/injected', value: 'by-webhook' },
        {
          op: 'add',
          path: '/metadata/labels',
          value: { ...(o.metadata.labels ?? {}), mutated: 'true' },
        },
      ]);
    });
    hooks.handle('/observe', () => ({ allowed: true }));
    const sel = { namespaceSelector: inCase('wh-mutate') };
    await apply(mutating('inject', webhook('inject.example.com', url('/inject'), sel)));
    await apply(validating('observe', webhook('observe.example.com', url('/observe'), sel)));
    const name = await eventually(async (n) => {
      const name = `m-${n}`;
      await ok(create(configMap('wh-mutate', name)));
      const both = ['/inject', '/observe'].every((p) => hooks.receivedOn(p, name).length > 0);
      return both ? name : undefined;
    }, 'both webhooks to be called');
    const got = JSON.parse(await k('get', 'cm', name, '-n', 'wh-mutate', '-o', 'json'));
    assert.deepEqual(got.data, { k: 'v', injected: 'by-webhook' });
    assert.equal(got.metadata.labels.mutated, 'true');
    const [seen] = hooks.receivedOn('/observe', name);
    assert.equal(seen!.request.object.data.injected, 'by-webhook');
    assert.equal(seen!.request.object.metadata.labels.mutated, 'true');
  });

  it('reinvocationPolicy IfNeeded calls a webhook again after a later one changed the object', async () => {
    await caseNamespace('wh-reinvoke');
    hooks.handle('/first', (r) => {
      const meta = r.request.object.metadata;
      const saw = String(meta.labels?.second === 'yes');
      const value = { ...(meta.annotations ?? {}), 'first-saw-second': saw };
      return patchResponse([{ op: 'add', path: '/metadata/annotations', value }]);
    });
    hooks.handle('/second', (r) => {
      const value = { ...(r.request.object.metadata.labels ?? {}), second: 'yes' };
      return patchResponse([{ op: 'add', path: '/metadata/labels', value }]);
    });
    const sel = { namespaceSelector: inCase('wh-reinvoke') };
    await apply(
      mutating(
        'reinvoke',
        webhook('first.example.com', url('/first'), { ...sel, reinvocationPolicy: 'IfNeeded' }),
        webhook('second.example.com', url('/second'), { ...sel, reinvocationPolicy: 'Never' }),
      ),
    );
    const name = await eventually(async (n) => {
      const name = `r-${n}`;
      await ok(create(configMap('wh-reinvoke', name)));
      return hooks.receivedOn('/second', name).length > 0 ? name : undefined;
    }, 'the mutating webhooks');
    assert.equal(hooks.receivedOn('/first', name).length, 2, 'first is reinvoked once');
    assert.equal(hooks.receivedOn('/second', name).length, 1, 'second (Never) is not');
    const got = JSON.parse(await k('get', 'cm', name, '-n', 'wh-reinvoke', '-o', 'json'));
    assert.equal(got.metadata.annotations['first-saw-second'], 'true');
    assert.equal(got.metadata.labels.second, 'yes');
  });

  it('rules pick operations, resources and subresources (pods/status)', async () => {
    await caseNamespace('wh-rules');
    hooks.handle('/status', () => forbidden('status is written by the kubelet'));
    hooks.handle('/pods', () => ({ allowed: true }));
    hooks.handle('/deletes', () => ({ allowed: true }));
    const sel = { namespaceSelector: inCase('wh-rules') };
    await apply(
      validating(
        'rules',
        webhook('status.example.com', url('/status'), {
          ...sel,
          rules: [coreRule(['pods/status'], ['UPDATE'])],
        }),
        webhook('pods.example.com', url('/pods'), {
          ...sel,
          rules: [coreRule(['pods'], ['CREATE', 'UPDATE'])],
        }),
        webhook('deletes.example.com', url('/deletes'), {
          ...sel,
          rules: [coreRule(['configmaps'], ['DELETE'])],
        }),
      ),
    );
    const name = await eventually(async (n) => {
      const name = `p-${n}`;
      await ok(create(pod('wh-rules', name)));
      return hooks.receivedOn('/pods', name).length > 0 ? name : undefined;
    }, 'the pods webhook');
    const patch = ['--subresource=status', '--type=merge', '-p', '{"status":{"message":"hi"}}'];
    const patched = await plane.kubectl(['patch', 'pod', name, '-n', 'wh-rules', ...patch]);
    assert.equal(
      patched.stderr,
      'Error from server (Forbidden): admission webhook "status.example.com" denied the request: status is written by the kubelet\n',
    );
    const [status] = hooks.receivedOn('/status', name);
    assert.equal(status!.request.operation, 'UPDATE');
    assert.equal(status!.request.subResource, 'status');
    assert.deepEqual(status!.request.resource, { group: '', version: 'v1', resource: 'pods' });
    assert.equal(status!.request.object.status.message, 'hi');
    assert.equal(status!.request.oldObject.metadata.name, name);
    assert.ok(hooks.receivedOn('/pods', name).every((r) => !r.request.subResource));

    await k('label', 'pod', name, '-n', 'wh-rules', 'tier=web');
    const updates = hooks.receivedOn('/pods', name).filter((r) => r.request.operation === 'UPDATE');
    assert.equal(updates.length, 1);
    assert.equal(updates[0]!.request.object.metadata.labels.tier, 'web');
    assert.equal(updates[0]!.request.oldObject.metadata.labels?.tier, undefined);
    assert.equal(updates[0]!.request.options?.kind, 'UpdateOptions');
    assert.equal(hooks.receivedOn('/status', name).length, 1);

    await ok(create(configMap('wh-rules', 'doomed')));
    assert.equal(hooks.receivedOn('/deletes', 'doomed').length, 0);
    await k('delete', 'cm', 'doomed', '-n', 'wh-rules');
    const [del] = hooks.receivedOn('/deletes', 'doomed');
    assert.equal(del!.request.operation, 'DELETE');
    assert.equal(del!.request.oldObject.metadata.name, 'doomed');
    assert.equal(del!.request.object ?? null, null);
    assert.equal(del!.request.options?.kind, 'DeleteOptions');
  });

  it('scope separates cluster-scoped from namespaced resources', async () => {
    await caseNamespace('wh-scope');
    hooks.handle('/cluster', () => ({ allowed: true }));
    hooks.handle('/namespaced', () => ({ allowed: true }));
    const anything = (scope: string) => ({
      rules: [
        { operations: ['CREATE'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], scope },
      ],
      objectSelector: { matchLabels: { 'e2e-scope': 'yes' } },
      failurePolicy: 'Ignore',
    });
    await apply(
      validating(
        'scope',
        webhook('cluster-scope.example.com', url('/cluster'), anything('Cluster')),
        webhook('namespaced-scope.example.com', url('/namespaced'), anything('Namespaced')),
      ),
    );
    const cm = await eventually(async (n) => {
      const name = `s-${n}`;
      await ok(create(configMap('wh-scope', name, { 'e2e-scope': 'yes' })));
      return hooks.receivedOn('/namespaced', name).length > 0 ? name : undefined;
    }, 'the namespaced webhook');
    await ok(create(namespace('wh-scope-cluster', { 'e2e-scope': 'yes' })));
    const [ns] = hooks.receivedOn('/cluster', 'wh-scope-cluster');
    assert.deepEqual(ns!.request.kind, { group: '', version: 'v1', kind: 'Namespace' });
    // kube's create handler gives a Namespace's request its own name as namespace.
    assert.equal(ns!.request.namespace, 'wh-scope-cluster');
    assert.equal(hooks.receivedOn('/namespaced', 'wh-scope-cluster').length, 0);
    assert.equal(hooks.receivedOn('/cluster', cm).length, 0);
  });

  it('namespaceSelector and objectSelector', async () => {
    await caseNamespace('wh-sel');
    await caseNamespace('wh-sel-other');
    hooks.handle('/selected', () => forbidden('guarded objects are read-only here'));
    await apply(
      validating(
        'selectors',
        webhook('selected.example.com', url('/selected'), {
          namespaceSelector: {
            matchExpressions: [{ key: LABEL, operator: 'In', values: ['wh-sel'] }],
          },
          objectSelector: { matchLabels: { guarded: 'true' } },
        }),
      ),
    );
    const denied = await firstRefusal('wh-sel', 'g', { guarded: 'true' });
    assert.equal(
      denied.stderr,
      'Error from server (Forbidden): error when creating "STDIN": admission webhook "selected.example.com" denied the request: guarded objects are read-only here\n',
    );
    await ok(create(configMap('wh-sel', 'unguarded')));
    await ok(create(configMap('wh-sel-other', 'guarded', { guarded: 'true' })));
    for (const r of hooks.receivedOn('/selected')) {
      assert.equal(r.request.namespace, 'wh-sel');
      assert.equal(r.request.object.metadata.labels.guarded, 'true');
    }
  });

  it('matchConditions in CEL decide which requests are sent', async () => {
    await caseNamespace('wh-cond');
    hooks.handle('/conditions', () => forbidden('matched every condition'));
    await apply(
      validating(
        'conditions',
        webhook('conditions.example.com', url('/conditions'), {
          namespaceSelector: inCase('wh-cond'),
          matchConditions: [
            { name: 'guarded-names', expression: "object.metadata.name.startsWith('guarded-')" },
            {
              name: 'not-exempt',
              expression: "!has(object.metadata.labels) || !('exempt' in object.metadata.labels)",
            },
            { name: 'people', expression: "!request.userInfo.username.startsWith('system:')" },
          ],
        }),
      ),
    );
    const denied = await firstRefusal('wh-cond', 'guarded');
    assert.equal(
      denied.stderr,
      'Error from server (Forbidden): error when creating "STDIN": admission webhook "conditions.example.com" denied the request: matched every condition\n',
    );
    await ok(create(configMap('wh-cond', 'guarded-exempt', { exempt: 'yes' })));
    await ok(create(configMap('wh-cond', 'plain')));
    assert.deepEqual(hooks.receivedOn('/conditions', 'guarded-exempt'), []);
    assert.deepEqual(hooks.receivedOn('/conditions', 'plain'), []);
  });

  it('failurePolicy Fail and Ignore for a webhook that is down', async () => {
    await caseNamespace('wh-down-fail');
    await caseNamespace('wh-down-ignore');
    const port = await freePort();
    const down = { url: `https://127.0.0.1:${port}/down`, caBundle: hooks.caBundle };
    // One configuration: once the Fail webhook is in effect, so is the Ignore one.
    await apply(
      validating(
        'down',
        webhook('down-fail.example.com', down, { namespaceSelector: inCase('wh-down-fail') }),
        webhook('down-ignore.example.com', down, {
          namespaceSelector: inCase('wh-down-ignore'),
          failurePolicy: 'Ignore',
        }),
      ),
    );
    const r = await firstRefusal('wh-down-fail', 'd');
    assert.equal(
      r.stderr,
      `Error from server (InternalError): error when creating "STDIN": Internal error occurred: failed calling webhook "down-fail.example.com": failed to call webhook: Post "https://127.0.0.1:${port}/down?timeout=10s": dial tcp 127.0.0.1:${port}: connect: connection refused\n`,
    );
    assert.equal(
      await ok(create(configMap('wh-down-ignore', 'admitted'))),
      'configmap/admitted created\n',
    );
  });

  it('failurePolicy Fail and Ignore for a webhook that times out (timeoutSeconds: 1)', async () => {
    await caseNamespace('wh-slow-fail');
    await caseNamespace('wh-slow-ignore');
    hooks.handle('/hang', () => 'hang');
    await apply(
      validating(
        'slow',
        webhook('slow-fail.example.com', url('/hang'), {
          namespaceSelector: inCase('wh-slow-fail'),
          timeoutSeconds: 1,
        }),
        webhook('slow-ignore.example.com', url('/hang'), {
          namespaceSelector: inCase('wh-slow-ignore'),
          failurePolicy: 'Ignore',
          timeoutSeconds: 1,
        }),
      ),
    );
    const r = await firstRefusal('wh-slow-fail', 't');
    assert.equal(
      r.stderr,
      `Error from server (InternalError): error when creating "STDIN": Internal error occurred: failed calling webhook "slow-fail.example.com": failed to call webhook: Post "${hooks.url('/hang')}?timeout=1s": context deadline exceeded\n`,
    );
    assert.equal(
      await ok(create(configMap('wh-slow-ignore', 'waited'))),
      'configmap/waited created\n',
    );
    assert.equal(hooks.receivedOn('/hang', 'waited')[0]?.timeout, '1s');
    await k('delete', 'validatingwebhookconfiguration', 'slow');
  });

  it('sideEffects None and NoneOnDryRun: --dry-run=server reaches the webhook with dryRun true', async () => {
    await caseNamespace('wh-dry');
    hooks.handle('/dry-none', () => ({ allowed: true }));
    hooks.handle('/dry-none-on-dry-run', () => ({ allowed: true }));
    const sel = { namespaceSelector: inCase('wh-dry') };
    await apply(
      validating(
        'dry',
        webhook('none.example.com', url('/dry-none'), { ...sel, sideEffects: 'None' }),
        webhook('none-on-dry-run.example.com', url('/dry-none-on-dry-run'), {
          ...sel,
          sideEffects: 'NoneOnDryRun',
        }),
      ),
    );
    const name = await eventually(async (n) => {
      const name = `dry-${n}`;
      const out = await ok(create(configMap('wh-dry', name), '--dry-run=server'));
      assert.equal(out, `configmap/${name} created (server dry run)\n`);
      return hooks.receivedOn('/dry-none', name).length > 0 ? name : undefined;
    }, 'the dry-run webhooks');
    for (const path of ['/dry-none', '/dry-none-on-dry-run']) {
      const [r] = hooks.receivedOn(path, name);
      assert.equal(r?.request.dryRun, true, path);
    }
    const get = await plane.kubectl(['get', 'cm', name, '-n', 'wh-dry']);
    assert.equal(get.stderr, `Error from server (NotFound): configmaps "${name}" not found\n`);
  });

  it('v1 refuses webhooks that may have side effects (Some, Unknown), as kube does', async () => {
    for (const sideEffects of ['Some', 'Unknown']) {
      const name = `side-effects-${sideEffects.toLowerCase()}`;
      const r = await create(
        validating(name, webhook('effects.example.com', url('/dry-none'), { sideEffects })),
      );
      assert.equal(
        r.stderr,
        `The ValidatingWebhookConfiguration "${name}" is invalid: webhooks[0].sideEffects: Unsupported value: "${sideEffects}": supported values: "None", "NoneOnDryRun"\n`,
      );
    }
  });

  it('clientConfig.service with caBundle: TLS to <svc>.<ns>.svc', async () => {
    await caseNamespace('wh-svc');
    await caseNamespace('wh-svc-badca');
    await apply(namespace(SERVICE_NS));
    await apply(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: SERVICE, namespace: SERVICE_NS },
        spec: { type: 'ExternalName', externalName: 'localhost' },
      }),
    );
    hooks.handle('/svc', () => forbidden('answered through the service'));
    const other = await createCA('some-other-ca');
    const service = { namespace: SERVICE_NS, name: SERVICE, path: '/svc', port: hooks.port };
    await apply(
      validating(
        'svc',
        webhook(
          'svc.example.com',
          { service, caBundle: hooks.caBundle },
          {
            namespaceSelector: inCase('wh-svc'),
          },
        ),
        webhook(
          'svc-badca.example.com',
          { service, caBundle: Buffer.from(other.certPem).toString('base64') },
          { namespaceSelector: inCase('wh-svc-badca') },
        ),
      ),
    );
    const r = await firstRefusal('wh-svc', 's');
    assert.equal(
      r.stderr,
      'Error from server (Forbidden): error when creating "STDIN": admission webhook "svc.example.com" denied the request: answered through the service\n',
    );
    const bad = await create(configMap('wh-svc-badca', 'x'));
    assert.equal(
      bad.stderr,
      `Error from server (InternalError): error when creating "STDIN": Internal error occurred: failed calling webhook "svc-badca.example.com": failed to call webhook: Post "https://${SERVICE}.${SERVICE_NS}.svc:${hooks.port}/svc?timeout=10s": tls: failed to verify certificate: x509: certificate signed by unknown authority\n`,
    );
  });
});
