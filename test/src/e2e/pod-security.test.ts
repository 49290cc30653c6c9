// Pod Security admission through a real plane and the real kubectl, level by level as the
// Pod Security Standards page describes them: enforce refuses with kube's message, warn
// lets the pod in with kubectl's "Warning:" line, audit records the audit annotation;
// pinned versions, invalid labels, existing-pod warnings and the configured exemptions.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@splitplane/testing';
import { ok, startPlane, type Plane } from './plane.js';

const BASELINE_VIOLATION = `
apiVersion: v1
kind: Pod
metadata: {name: NAME, namespace: NS}
spec:
  containers:
  - name: app
    image: nginx
    securityContext: {privileged: true}
`;
const BASELINE_DETAIL = 'privileged (container "app" must not set securityContext.privileged=true)';

// Fine for baseline, short of restricted on every count the page lists for a bare pod.
const RESTRICTED_VIOLATION = `
apiVersion: v1
kind: Pod
metadata: {name: NAME, namespace: NS}
spec:
  containers: [{name: app, image: nginx}]
`;
const RESTRICTED_DETAIL =
  'allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), ' +
  'unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), ' +
  'runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), ' +
  'seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';

const RESTRICTED_OK = `
apiVersion: v1
kind: Pod
metadata: {name: NAME, namespace: NS}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: app
    image: nginx
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
`;

const LEVELS = [
  { level: 'baseline', violation: BASELINE_VIOLATION, detail: BASELINE_DETAIL },
  { level: 'restricted', violation: RESTRICTED_VIOLATION, detail: RESTRICTED_DETAIL },
] as const;

const fill = (yaml: string, name: string, ns: string) =>
  yaml.replace('NAME', name).replace('NS', ns);

describe('PodSecurity admission through kubectl', { timeout: 600_000 }, () => {
  let plane: Plane;
  let configDir: string;
  const k = (...args: string[]) => ok(plane.kubectl(args));
  const namespace = async (name: string, labels: Record<string, string>) => {
    const lines = Object.entries(labels).map(([key, v]) => `    ${key}: "${v}"`);
    await ok(
      plane.kubectl(
        ['create', '-f', '-'],
        `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:\n${lines.join('\n')}\n`,
      ),
    );
  };
  // A namespace just created may not have reached admission's cache; the live read covers
  // it, and waiting on the first answer keeps the assertions about content, not timing.
  const create = (yaml: string) => plane.kubectl(['create', '-f', '-'], yaml);

  before(async () => {
    configDir = await mkdtemp(join(tmpdir(), 'pod-security-e2e-'));
    const config = join(configDir, 'admission.yaml');
    await writeFile(
      config,
      `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults: {enforce: privileged, enforce-version: latest}
    exemptions:
      namespaces: [exempt-ns]
      usernames: [exempt-user]
      runtimeClasses: [exempt-rc]
`,
    );
    plane = await startPlane({
      extraArgs: { admission: [`--admission-control-config-file=${config}`] },
    });
  });
  after(async () => {
    await plane?.stop();
    await rm(configDir, { recursive: true, force: true });
  });

  for (const { level, violation, detail } of LEVELS) {
    describe(level, () => {
      it('enforce refuses a violating pod with kube message', async () => {
        const ns = `enforce-${level}`;
        await namespace(ns, { 'pod-security.kubernetes.io/enforce': level });
        const r = await create(fill(violation, 'bad', ns));
        assert.notEqual(r.code, 0);
        assert.equal(
          r.stderr.trim(),
          `Error from server (Forbidden): error when creating "STDIN": pods "bad" is forbidden: violates PodSecurity "${level}:latest": ${detail}`,
        );
        if (level === 'restricted') await ok(create(fill(RESTRICTED_OK, 'good', ns)));
      });

      it('warn admits the pod and kubectl prints the warning', async () => {
        const ns = `warn-${level}`;
        await namespace(ns, { 'pod-security.kubernetes.io/warn': level });
        const r = await create(fill(violation, 'warned', ns));
        assert.equal(r.code, 0, r.stderr);
        assert.equal(
          r.stderr.trim(),
          `Warning: would violate PodSecurity "${level}:latest": ${detail}`,
        );
        await k('get', 'pod', 'warned', '-n', ns);
      });

      it('audit admits the pod and records the audit annotation', async () => {
        const ns = `audit-${level}`;
        await namespace(ns, { 'pod-security.kubernetes.io/audit': level });
        const r = await create(fill(violation, 'audited', ns));
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr.trim(), '');
        const expected = `would violate PodSecurity "${level}:latest": ${detail}`;
        await waitFor(
          async () => {
            const log = await readFile(join(plane.dataDir, 'logs', 'gateway.log'), 'utf8');
            return log
              .split('\n')
              .filter((l) => l.includes('"audit annotations"') && l.includes(`"namespace":"${ns}"`))
              .some(
                (l) =>
                  JSON.parse(l).annotations?.['pod-security.kubernetes.io/audit-violations'] ===
                  expected,
              );
          },
          { timeoutMs: 15_000, message: 'the audit-violations annotation in the gateway log' },
        );
      });
    });
  }

  it('a pinned version is named in the message', async () => {
    await namespace('pinned', {
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
    });
    const r = await create(fill(BASELINE_VIOLATION, 'bad', 'pinned'));
    assert.equal(
      r.stderr.trim(),
      `Error from server (Forbidden): error when creating "STDIN": pods "bad" is forbidden: violates PodSecurity "baseline:v1.28": ${BASELINE_DETAIL}`,
    );
  });

  it('refuses a namespace with an invalid level label', async () => {
    const r = await plane.kubectl(
      ['create', '-f', '-'],
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bogus\n  labels: {pod-security.kubernetes.io/enforce: strict}\n',
    );
    assert.notEqual(r.code, 0);
    assert.equal(
      r.stderr.trim(),
      'The Namespace "bogus" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
    );
  });

  it('tightening enforce warns about existing pods', async () => {
    await k('create', 'namespace', 'tighten');
    await ok(create(fill(BASELINE_VIOLATION, 'old-priv', 'tighten')));
    const r = await plane.kubectl([
      'label',
      'namespace',
      'tighten',
      'pod-security.kubernetes.io/enforce=baseline',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr.trim(),
      [
        'Warning: existing pods in namespace "tighten" violate the new PodSecurity enforce level "baseline:latest"',
        `Warning: old-priv: ${BASELINE_DETAIL.replace(/ \(.*\)$/, '')}`,
      ].join('\n'),
    );
  });

  it('exempts configured namespaces, runtime classes and users', async () => {
    await namespace('exempt-ns', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    await ok(create(fill(RESTRICTED_VIOLATION, 'free', 'exempt-ns')));
    await namespace('strict', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    await ok(
      plane.kubectl(
        ['create', '-f', '-'],
        'apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: exempt-rc}\nhandler: runc\n',
      ),
    );
    await waitFor(
      async () =>
        (
          await create(
            fill(RESTRICTED_VIOLATION, 'sandboxed', 'strict').replace(
              'spec:\n',
              'spec:\n  runtimeClassName: exempt-rc\n',
            ),
          )
        ).code === 0,
      { timeoutMs: 30_000, message: 'a pod with the exempt RuntimeClass admitted' },
    );
    const r = await create(fill(RESTRICTED_VIOLATION, 'caught', 'strict'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /violates PodSecurity "restricted:latest"/);
    // The exempt user (impersonated; system:masters so RBAC lets it create pods).
    await ok(
      plane.kubectl(
        ['--as=exempt-user', '--as-group=system:masters', 'create', '-f', '-'],
        fill(RESTRICTED_VIOLATION, 'by-exempt-user', 'strict'),
      ),
    );
  });
});
