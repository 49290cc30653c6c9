import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes, AdmissionContext, Operation } from '../../chain/plugin.js';
import type { PodSecurityConfiguration } from './config.js';
import { PodSecurityPlugin } from './plugin.js';
import { bareSpec, podObject, restrictedSpec } from './test-pods.js';

const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

const namespaces = new Map<string, KubeObject>([
  ['open', ns('open')],
  ['strict', ns('strict', { 'pod-security.kubernetes.io/enforce': 'restricted' })],
  [
    'base',
    ns('base', {
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    }),
  ],
  [
    'old',
    ns('old', {
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.21',
    }),
  ],
  ['typo', ns('typo', { 'pod-security.kubernetes.io/enforce': 'restrictd' })],
  ['warnonly', ns('warnonly', { 'pod-security.kubernetes.io/warn': 'baseline' })],
]);
const pods = new Map<string, KubeObject[]>();

const plugin = (config?: PodSecurityConfiguration) =>
  new PodSecurityPlugin({
    namespaces: { get: (n) => namespaces.get(n) },
    pods: { list: (n) => pods.get(n) ?? [] },
    ...(config ? { config } : {}),
  });

interface Req {
  namespace: string;
  object: KubeObject | undefined;
  oldObject?: KubeObject;
  operation?: Operation;
  group?: string;
  resource?: string;
  kind?: string;
  subresource?: string;
  username?: string;
  name?: string;
}

function attrs(r: Req): AdmissionAttributes {
  const resource = r.resource ?? 'pods';
  return {
    uid: 'u',
    kind: { group: r.group ?? '', version: 'v1', kind: r.kind ?? 'Pod' },
    resource: { group: r.group ?? '', version: 'v1', resource },
    subresource: r.subresource ?? '',
    name: r.name ?? String(r.object?.metadata?.name ?? ''),
    namespace: r.namespace,
    operation: r.operation ?? 'CREATE',
    user: { username: r.username ?? 'alice', uid: '', groups: [], extra: {} },
    object: r.object,
    oldObject: r.oldObject,
    dryRun: false,
    options: undefined,
  };
}

async function admit(p: PodSecurityPlugin, r: Req) {
  const context: AdmissionContext = { warnings: [], auditAnnotations: {} };
  let error: StatusError | undefined;
  try {
    await p.validate(attrs(r), context);
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    error = err;
  }
  return { ...context, error };
}

const RESTRICTED_BARE =
  'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), ' +
  'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), ' +
  'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), ' +
  'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';

describe('PodSecurity plugin: pods', () => {
  it('handles CREATE and UPDATE only', () => {
    const p = plugin();
    assert.deepEqual(
      (['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const).map((o) => p.handles(o)),
      [true, true, false, false],
    );
  });

  it("enforce: 403 Forbidden with kube's message", async () => {
    const r = await admit(plugin(), { namespace: 'strict', object: podObject('x', bareSpec()) });
    assert.equal(r.error?.code, 403);
    assert.equal(r.error?.reason, 'Forbidden');
    assert.equal(
      r.error?.message,
      `pods "x" is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED_BARE}`,
    );
    assert.deepEqual(r.error?.status.details, { name: 'x', group: '', kind: 'pods' });
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.auditAnnotations, {
      'pod-security.kubernetes.io/enforce-policy': 'restricted:latest',
    });
  });

  it('enforce admits a compliant pod and records the policy', async () => {
    const r = await admit(plugin(), {
      namespace: 'strict',
      object: podObject('x', restrictedSpec()),
    });
    assert.equal(r.error, undefined);
    assert.deepEqual(r.auditAnnotations, {
      'pod-security.kubernetes.io/enforce-policy': 'restricted:latest',
    });
  });

  it('a namespace without labels is privileged: nothing is checked', async () => {
    const r = await admit(plugin(), {
      namespace: 'open',
      object: podObject('x', {
        hostPID: true,
        containers: [{ name: 'c', securityContext: { privileged: true } }],
      }),
    });
    assert.deepEqual(r, { warnings: [], auditAnnotations: {}, error: undefined });
  });

  it('warn and audit: admitted, with a warning and an audit annotation', async () => {
    const r = await admit(plugin(), { namespace: 'base', object: podObject('x', bareSpec()) });
    assert.equal(r.error, undefined);
    assert.deepEqual(r.warnings, [
      `would violate PodSecurity "restricted:latest": ${RESTRICTED_BARE}`,
    ]);
    assert.deepEqual(r.auditAnnotations, {
      'pod-security.kubernetes.io/enforce-policy': 'baseline:latest',
      'pod-security.kubernetes.io/audit-violations': `would violate PodSecurity "restricted:latest": ${RESTRICTED_BARE}`,
    });
  });

  it('enforce denial carries audit violations and no warnings', async () => {
    const r = await admit(plugin(), {
      namespace: 'base',
      object: podObject('x', { ...bareSpec(), hostNetwork: true }),
    });
    assert.equal(
      r.error?.message,
      'pods "x" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork)',
    );
    assert.deepEqual(r.warnings, []);
    assert.match(
      r.auditAnnotations['pod-security.kubernetes.io/audit-violations'] ?? '',
      /^would violate PodSecurity "restricted:latest": host namespaces \(hostNetwork\), allowPrivilegeEscalation/,
    );
  });

  it('the enforce version selects the checks in force then', async () => {
    // v1.21 predates restricted's drop-ALL and runAsUser checks.
    const spec = restrictedSpec({}, { securityContext: { allowPrivilegeEscalation: false } });
    assert.equal(
      (await admit(plugin(), { namespace: 'old', object: podObject('x', spec) })).error,
      undefined,
    );
    const r = await admit(plugin(), { namespace: 'strict', object: podObject('x', spec) });
    assert.equal(
      r.error?.message,
      'pods "x" is forbidden: violates PodSecurity "restricted:latest": unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"])',
    );
    const old = await admit(plugin(), { namespace: 'old', object: podObject('x', bareSpec()) });
    assert.equal(
      old.auditAnnotations['pod-security.kubernetes.io/enforce-policy'],
      'restricted:v1.21',
    );
    assert.match(
      old.error?.message ?? '',
      /^pods "x" is forbidden: violates PodSecurity "restricted:v1.21": allowPrivilegeEscalation/,
    );
  });

  it('an invalid enforce label enforces restricted:latest and notes the parse error', async () => {
    const r = await admit(plugin(), { namespace: 'typo', object: podObject('x', bareSpec()) });
    assert.equal(
      r.error?.message,
      `pods "x" is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED_BARE}`,
    );
    assert.equal(
      r.auditAnnotations['pod-security.kubernetes.io/error'],
      'Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "restrictd": must be one of privileged, baseline, restricted',
    );
  });

  it('invalid audit and warn labels fail open, noting the parse error', async () => {
    namespaces.set(
      'badwarn',
      ns('badwarn', {
        'pod-security.kubernetes.io/warn': 'loud',
        'pod-security.kubernetes.io/audit-version': 'v9',
      }),
    );
    const r = await admit(plugin(), {
      namespace: 'badwarn',
      object: podObject('x', { ...bareSpec(), hostPID: true }),
    });
    assert.equal(r.error, undefined);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.auditAnnotations, {
      'pod-security.kubernetes.io/error':
        'Failed to parse policy: [metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: "v9": must be "latest" or "v1.x", ' +
        'metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "loud": must be one of privileged, baseline, restricted]',
      'pod-security.kubernetes.io/enforce-policy': 'privileged:latest',
    });
  });

  it('a missing namespace is an internal error', async () => {
    const r = await admit(plugin(), { namespace: 'gone', object: podObject('x', bareSpec()) });
    assert.equal(r.error?.code, 500);
    assert.equal(r.error?.message, 'Internal error occurred: failed to lookup namespace "gone"');
  });

  it('updates that change nothing PodSecurity reads are admitted', async () => {
    const bad = podObject('x', bareSpec());
    const relabelled = { ...bad, metadata: { ...bad.metadata, labels: { a: 'b' } } };
    const r = await admit(plugin(), {
      namespace: 'strict',
      operation: 'UPDATE',
      object: relabelled,
      oldObject: bad,
    });
    assert.deepEqual(r, { warnings: [], auditAnnotations: {}, error: undefined });
  });

  it('updates changing an image or seccomp annotation are evaluated', async () => {
    const bad = podObject('x', bareSpec());
    const newImage = podObject('x', { containers: [{ name: 'c', image: 'busybox:2' }] });
    const r = await admit(plugin(), {
      namespace: 'strict',
      operation: 'UPDATE',
      object: newImage,
      oldObject: bad,
    });
    assert.equal(r.error?.code, 403);
    const annotated = podObject('x', bareSpec(), {
      'container.seccomp.security.alpha.kubernetes.io/c': 'runtime/default',
    });
    const r2 = await admit(plugin(), {
      namespace: 'strict',
      operation: 'UPDATE',
      object: annotated,
      oldObject: bad,
    });
    assert.equal(r2.error?.code, 403);
  });

  it('an existing ephemeral container unchanged is not significant; adding one is', async () => {
    const withDebug = podObject('x', {
      ...bareSpec(),
      ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
    });
    const relabelled = { ...withDebug, metadata: { ...withDebug.metadata, labels: { a: 'b' } } };
    const same = await admit(plugin(), {
      namespace: 'strict',
      operation: 'UPDATE',
      object: relabelled,
      oldObject: withDebug,
    });
    assert.equal(same.error, undefined);
    const added = await admit(plugin(), {
      namespace: 'strict',
      operation: 'UPDATE',
      object: withDebug,
      oldObject: podObject('x', bareSpec()),
    });
    assert.equal(added.error?.code, 403);
  });

  it('ignores status and similar subresources but checks ephemeralcontainers', async () => {
    const bad = podObject('x', bareSpec());
    for (const subresource of ['status', 'binding', 'eviction', 'exec']) {
      const r = await admit(plugin(), {
        namespace: 'strict',
        subresource,
        operation: 'UPDATE',
        object: bad,
        oldObject: bad,
      });
      assert.equal(r.error, undefined, subresource);
    }
    const old = podObject('x', restrictedSpec());
    const withDebug = podObject('x', {
      ...restrictedSpec(),
      ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
    });
    const r = await admit(plugin(), {
      namespace: 'strict',
      subresource: 'ephemeralcontainers',
      operation: 'UPDATE',
      object: withDebug,
      oldObject: old,
    });
    assert.match(
      r.error?.message ?? '',
      /allowPrivilegeEscalation != false \(container "debug" must set/,
    );
  });
});

describe('PodSecurity plugin: exemptions', () => {
  const config = {
    exemptions: {
      usernames: ['system:serviceaccount:kube-system:ds'],
      namespaces: ['strict'],
      runtimeClasses: ['kata'],
    },
  };

  it('exempt namespaces, users and runtime classes are admitted with an exempt annotation', async () => {
    const p = plugin(config);
    const nsExempt = await admit(p, { namespace: 'strict', object: podObject('x', bareSpec()) });
    assert.deepEqual(nsExempt, {
      warnings: [],
      auditAnnotations: { 'pod-security.kubernetes.io/exempt': 'namespace' },
      error: undefined,
    });
    const userExempt = await admit(p, {
      namespace: 'old',
      username: 'system:serviceaccount:kube-system:ds',
      object: podObject('x', bareSpec()),
    });
    assert.deepEqual(userExempt.auditAnnotations, { 'pod-security.kubernetes.io/exempt': 'user' });
    assert.equal(userExempt.error, undefined);
    const rcExempt = await admit(p, {
      namespace: 'old',
      object: podObject('x', { ...bareSpec(), runtimeClassName: 'kata' }),
    });
    assert.deepEqual(rcExempt.auditAnnotations, {
      'pod-security.kubernetes.io/exempt': 'runtimeClass',
    });
    const notExempt = await admit(p, {
      namespace: 'old',
      object: podObject('x', { ...bareSpec(), runtimeClassName: 'runc' }),
    });
    assert.equal(notExempt.error?.code, 403);
  });

  it('exemptions apply to workloads too', async () => {
    const p = plugin({ exemptions: { namespaces: ['base'], usernames: ['ci'] } });
    const object = deployment(bareSpec());
    const byNs = await admit(p, {
      namespace: 'base',
      group: 'apps',
      resource: 'deployments',
      object,
    });
    assert.deepEqual(byNs, {
      warnings: [],
      auditAnnotations: { 'pod-security.kubernetes.io/exempt': 'namespace' },
      error: undefined,
    });
    const byUser = await admit(p, {
      namespace: 'warnonly',
      username: 'ci',
      group: 'apps',
      resource: 'deployments',
      object: deployment({ hostPID: true }),
    });
    assert.deepEqual(byUser, {
      warnings: [],
      auditAnnotations: { 'pod-security.kubernetes.io/exempt': 'user' },
      error: undefined,
    });
  });

  it('configured defaults apply to unlabelled namespaces', async () => {
    const r = await admit(plugin({ defaults: { enforce: 'baseline', warn: 'restricted' } }), {
      namespace: 'open',
      object: podObject('x', bareSpec()),
    });
    assert.equal(r.error, undefined);
    assert.deepEqual(r.warnings, [
      `would violate PodSecurity "restricted:latest": ${RESTRICTED_BARE}`,
    ]);
  });
});

const deployment = (spec: object) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'ns' },
  spec: { selector: {}, template: { metadata: { labels: { app: 'd' } }, spec } },
});

describe('PodSecurity plugin: workloads', () => {
  it('a Deployment violating enforce is admitted with a warning, never denied', async () => {
    const r = await admit(plugin(), {
      namespace: 'strict',
      group: 'apps',
      resource: 'deployments',
      kind: 'Deployment',
      object: deployment(bareSpec()),
    });
    assert.equal(r.error, undefined);
    assert.deepEqual(r.warnings, []);
    const base = await admit(plugin(), {
      namespace: 'base',
      group: 'apps',
      resource: 'deployments',
      kind: 'Deployment',
      object: deployment(bareSpec()),
    });
    assert.equal(base.error, undefined);
    assert.deepEqual(base.warnings, [
      `would violate PodSecurity "restricted:latest": ${RESTRICTED_BARE}`,
    ]);
    assert.deepEqual(base.auditAnnotations, {
      'pod-security.kubernetes.io/audit-violations': `would violate PodSecurity "restricted:latest": ${RESTRICTED_BARE}`,
    });
  });

  it('finds the template of each workload kind', async () => {
    const spec = { ...bareSpec(), hostIPC: true };
    const template = { spec };
    const cases: Array<[string, string, KubeObject]> = [
      ['apps', 'replicasets', { spec: { template } }],
      ['apps', 'statefulsets', { spec: { template } }],
      ['apps', 'daemonsets', { spec: { template } }],
      ['batch', 'jobs', { spec: { template } }],
      ['batch', 'cronjobs', { spec: { jobTemplate: { spec: { template } } } }],
      ['', 'replicationcontrollers', { spec: { template } }],
      ['', 'podtemplates', { template }],
    ];
    for (const [group, resource, object] of cases) {
      const r = await admit(plugin(), {
        namespace: 'warnonly',
        group,
        resource,
        object,
        name: 'w',
      });
      assert.deepEqual(
        r.warnings,
        ['would violate PodSecurity "baseline:latest": host namespaces (hostIPC)'],
        resource,
      );
      assert.equal(r.error, undefined);
    }
  });

  it('skips workloads without a template, subresources and unrelated resources', async () => {
    const none = await admit(plugin(), {
      namespace: 'warnonly',
      group: 'apps',
      resource: 'deployments',
      object: { spec: {} },
    });
    assert.deepEqual(none.warnings, []);
    const scale = await admit(plugin(), {
      namespace: 'warnonly',
      group: 'apps',
      resource: 'deployments',
      subresource: 'scale',
      object: deployment({ hostPID: true }),
    });
    assert.deepEqual(scale.warnings, []);
    const cm = await admit(plugin(), {
      namespace: 'strict',
      resource: 'configmaps',
      object: { data: {} },
    });
    assert.deepEqual(cm, { warnings: [], auditAnnotations: {}, error: undefined });
  });

  it('a workload in a missing namespace fails open with an audit note', async () => {
    const r = await admit(plugin(), {
      namespace: 'gone',
      group: 'apps',
      resource: 'deployments',
      object: deployment(bareSpec()),
    });
    assert.equal(r.error, undefined);
    assert.equal(
      r.auditAnnotations['pod-security.kubernetes.io/error'],
      'failed to lookup namespace "gone": namespaces "gone" not found',
    );
  });
});

describe('PodSecurity plugin: namespaces', () => {
  const nsReq = (
    name: string,
    labels: Record<string, string>,
    oldLabels?: Record<string, string>,
  ): Req => ({
    namespace: '',
    name,
    resource: 'namespaces',
    kind: 'Namespace',
    object: ns(name, labels),
    ...(oldLabels ? { operation: 'UPDATE' as const, oldObject: ns(name, oldLabels) } : {}),
  });

  it('invalid labels are a 422 on create', async () => {
    const r = await admit(plugin(), nsReq('n', { 'pod-security.kubernetes.io/enforce': 'strict' }));
    assert.equal(r.error?.code, 422);
    assert.equal(
      r.error?.message,
      'Namespace "n" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
    );
  });

  it('on update, new invalid labels are refused but unchanged invalid ones pass', async () => {
    const bad = { 'pod-security.kubernetes.io/warn-version': 'v1' };
    assert.equal((await admit(plugin(), nsReq('n', bad, {}))).error?.code, 422);
    assert.equal((await admit(plugin(), nsReq('n', { ...bad, other: 'x' }, bad))).error, undefined);
  });

  it('tightening enforce warns about existing pods that would be rejected', async () => {
    const owner = [{ controller: true, uid: 'rs1' }];
    const pod = (
      name: string,
      spec: object,
      ownerReferences?: Array<Record<string, unknown>>,
    ): KubeObject => ({
      metadata: { name, ...(ownerReferences ? { ownerReferences } : {}) },
      spec: spec as Record<string, unknown>,
    });
    pods.set('n', [
      pod('web-b', bareSpec(), owner),
      pod('web-a', bareSpec(), owner),
      pod('web-c', bareSpec(), owner),
      pod('good', restrictedSpec()),
      pod('agent', { ...restrictedSpec(), hostNetwork: true }),
    ]);
    const r = await admit(
      plugin(),
      nsReq('n', { 'pod-security.kubernetes.io/enforce': 'restricted' }, {}),
    );
    assert.equal(r.error, undefined);
    assert.deepEqual(r.warnings, [
      'existing pods in namespace "n" violate the new PodSecurity enforce level "restricted:latest"',
      'agent: host namespaces',
      'web-a (and 2 other pods): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
    ]);
    const same = await admit(
      plugin(),
      nsReq(
        'n',
        { 'pod-security.kubernetes.io/enforce': 'restricted', x: 'y' },
        { 'pod-security.kubernetes.io/enforce': 'restricted' },
      ),
    );
    assert.deepEqual(same.warnings, []);
  });

  it('relaxing or keeping enforce does not dry-run pods', async () => {
    pods.set('r', [{ metadata: { name: 'p' }, spec: bareSpec() as Record<string, unknown> }]);
    const enforce = (level: string) => ({ 'pod-security.kubernetes.io/enforce': level });
    assert.deepEqual(
      (await admit(plugin(), nsReq('r', enforce('baseline'), enforce('restricted')))).warnings,
      [],
    );
    assert.deepEqual(
      (await admit(plugin(), nsReq('r', enforce('privileged'), enforce('baseline')))).warnings,
      [],
    );
    // A different version re-checks even at a laxer level.
    const versioned = await admit(
      plugin(),
      nsReq(
        'r',
        { ...enforce('baseline'), 'pod-security.kubernetes.io/enforce-version': 'v1.20' },
        enforce('restricted'),
      ),
    );
    assert.deepEqual(versioned.warnings, []);
    const tightened = await admit(plugin(), nsReq('r', enforce('restricted'), enforce('baseline')));
    assert.deepEqual(tightened.warnings, [
      'existing pods in namespace "r" violate the new PodSecurity enforce level "restricted:latest"',
      'p: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
    ]);
  });

  it('pods of exempt runtime classes are left out of the dry run', async () => {
    pods.set('k', [
      {
        metadata: { name: 'vm' },
        spec: { ...bareSpec(), runtimeClassName: 'kata' } as Record<string, unknown>,
      },
    ]);
    const r = await admit(
      plugin({ exemptions: { runtimeClasses: ['kata'] } }),
      nsReq('k', { 'pod-security.kubernetes.io/enforce': 'restricted' }, {}),
    );
    assert.deepEqual(r.warnings, []);
  });

  it("an exempt namespace with a policy gets kube's warning", async () => {
    const r = await admit(
      plugin({ exemptions: { namespaces: ['kube-system'] } }),
      nsReq('kube-system', {
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/warn': 'restricted',
      }),
    );
    assert.deepEqual(r.warnings, [
      'namespace "kube-system" is exempt from Pod Security, and the policy (enforce=baseline:latest, warn=restricted:latest) will be ignored',
    ]);
  });
});
