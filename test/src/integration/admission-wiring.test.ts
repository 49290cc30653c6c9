// Admission wired into a real plane (launcher: etcd, NATS, watch-cache, admission, registry,
// authz, gateway): a ValidatingWebhookConfiguration written through the API takes effect
// through admission's informers, its denial reaches kubectl as kube words it, warnings
// included, and deleting it lifts the denial. Writes are timed only as diagnostics.
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createCA, issueServerCert } from '@splitplane/pki';
import { waitFor } from '@splitplane/testing';
import { ok, startPlane, type Plane } from '../e2e/plane.js';

interface Hook {
  url: string;
  caBundle: string;
  users: string[];
  close(): Promise<void>;
}

/** An HTTPS webhook: allows ConfigMaps named ok-* with a warning, refuses the rest with one. */
async function denyingHook(): Promise<Hook> {
  const ca = await createCA('wiring-test-ca');
  const cert = await issueServerCert(ca, { commonName: '127.0.0.1', dnsNames: ['localhost'] });
  const users: string[] = [];
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      users.push(String(review.request?.userInfo?.username));
      const name = String(review.request?.object?.metadata?.name ?? '');
      const answer = name.startsWith('ok-')
        ? { allowed: true, warnings: ['the wiring webhook saw this'] }
        : {
            allowed: false,
            status: { code: 403, reason: 'Forbidden', message: 'no configmaps here' },
            warnings: ['refused by the wiring webhook'],
          };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          apiVersion: 'admission.k8s.io/v1',
          kind: 'AdmissionReview',
          response: { uid: review.request.uid, ...answer },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/deny`,
    caBundle: Buffer.from(ca.certPem).toString('base64'),
    users,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const NS = 'admission-wiring';

const configuration = (hook: Hook) =>
  JSON.stringify({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'wiring-deny' },
    webhooks: [
      {
        name: 'deny.wiring.splitplane.io',
        clientConfig: { url: hook.url, caBundle: hook.caBundle },
        rules: [
          {
            operations: ['CREATE'],
            apiGroups: [''],
            apiVersions: ['v1'],
            resources: ['configmaps'],
          },
        ],
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NS } },
        failurePolicy: 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  });

const configMap = (name: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS } });

describe('admission wiring in a real plane', { timeout: 300_000 }, () => {
  let plane: Plane;
  let hook: Hook;

  before(async () => {
    [plane, hook] = await Promise.all([startPlane(), denyingHook()]);
    await ok(plane.kubectl(['create', 'namespace', NS]));
  });

  after(async () => {
    await plane?.stop();
    await hook?.close();
  });

  it('applies a ValidatingWebhookConfiguration from its informer, and drops it again', async (t) => {
    await ok(plane.kubectl(['create', 'configmap', 'before', '-n', NS]));
    await ok(plane.kubectl(['create', '-f', '-'], configuration(hook)));
    const written = Date.now();
    let n = 0;
    let refused: { stderr: string } | undefined;
    await waitFor(
      async () => {
        const r = await plane.kubectl(['create', '-f', '-'], configMap(`cm-${n++}`));
        if (r.code !== 0) refused = r;
        return r.code !== 0;
      },
      { timeoutMs: 30_000, intervalMs: 50, message: 'the webhook refuses a ConfigMap' },
    );
    t.diagnostic(`configuration in effect ${Date.now() - written} ms after its create returned`);
    assert.match(
      refused!.stderr,
      /Error from server \(Forbidden\): error when creating "STDIN": admission webhook "deny\.wiring\.splitplane\.io" denied the request: no configmaps here/,
    );
    // kube sends the warnings recorded before a denial with the error.
    assert.match(refused!.stderr, /Warning: refused by the wiring webhook/);
    const allowed = await plane.kubectl(['create', '-f', '-'], configMap('ok-1'));
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stderr, /Warning: the wiring webhook saw this/);
    assert.ok(hook.users.includes('kubernetes-admin'), `webhook saw users ${hook.users.join(',')}`);

    // Other namespaces are untouched by its namespaceSelector.
    await ok(plane.kubectl(['create', 'configmap', 'elsewhere', '-n', 'default']));

    await ok(plane.kubectl(['delete', 'validatingwebhookconfiguration', 'wiring-deny']));
    await waitFor(
      async () =>
        (await plane.kubectl(['create', '-f', '-'], configMap(`after-${n++}`))).code === 0,
      { timeoutMs: 30_000, intervalMs: 50, message: 'creates succeed once it is deleted' },
    );
  });
});
