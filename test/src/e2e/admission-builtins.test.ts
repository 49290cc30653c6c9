// The built-in admission plugins through a real plane and the real kubectl: what each one
// visibly does to objects, kube's error text as kubectl prints it, and
// --disable-admission-plugins turning one off.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@splitplane/testing';
import { ok, startPlane, type Plane } from './plane.js';

const pod = (name: string, namespace: string, spec = '') => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  containers: [{name: app, image: nginx}]
${spec}`;

describe('built-in admission plugins through kubectl', { timeout: 600_000 }, () => {
  let plane: Plane;
  const k = (...args: string[]) => ok(plane.kubectl(args));
  const apply = (yaml: string) => ok(plane.kubectl(['create', '-f', '-'], yaml));
  const refused = async (yaml: string, args = ['create', '-f', '-']) => {
    const r = await plane.kubectl(args, yaml);
    assert.notEqual(r.code, 0, `expected a refusal, got: ${r.stdout}`);
    return r.stderr.trim();
  };
  const json = async (...args: string[]) => JSON.parse(await k('get', ...args, '-o', 'json'));

  before(async () => {
    plane = await startPlane();
    await k('create', 'namespace', 'adm');
  });
  after(async () => {
    await plane?.stop();
  });

  describe('NamespaceLifecycle', () => {
    it('refuses content in a namespace that does not exist (404)', async () => {
      assert.equal(
        await refused(pod('p', 'nowhere')),
        'Error from server (NotFound): error when creating "STDIN": namespaces "nowhere" not found',
      );
    });

    it('refuses to delete the immortal namespaces', async () => {
      for (const ns of ['default', 'kube-system', 'kube-public']) {
        assert.equal(
          await refused('', ['delete', 'namespace', ns]),
          `Error from server (Forbidden): namespaces "${ns}" is forbidden: this namespace may not be deleted`,
        );
      }
    });

    it('refuses new content in a terminating namespace with kube cause', async () => {
      await k('create', 'namespace', 'ending');
      // A finalizer keeps the namespace Terminating while the test looks at it.
      await apply(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, namespace: ending, finalizers: [example.com/hold]}\n',
      );
      await k('delete', 'namespace', 'ending', '--wait=false');
      await waitFor(
        async () => (await json('namespace', 'ending')).status?.phase === 'Terminating',
        { timeoutMs: 30_000 },
      );
      assert.equal(
        await refused(
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late, namespace: ending}\n',
        ),
        'Error from server (Forbidden): error when creating "STDIN": configmaps "late" is forbidden: unable to create new content in namespace ending because it is being terminated',
      );
      const raw = await plane.request('POST', '/api/v1/namespaces/ending/configmaps', {
        body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw' } }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(raw.status, 403);
      assert.deepEqual(raw.json().details.causes, [
        {
          reason: 'NamespaceTerminating',
          message: 'namespace ending is being terminated',
          field: 'metadata.namespace',
        },
      ]);
      await k(
        'patch',
        'configmap',
        'held',
        '-n',
        'ending',
        '--type=merge',
        '-p',
        '{"metadata":{"finalizers":null}}',
      );
    });
  });

  describe('LimitRanger', () => {
    it('defaults container resources and records them in the annotation', async () => {
      await k('create', 'namespace', 'limited');
      await apply(`
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: limited}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
    max: {cpu: "1"}
  - type: PersistentVolumeClaim
    min: {storage: 1Gi}
`);
      await waitFor(
        async () => {
          await ok(
            plane.kubectl(['delete', 'pod', 'probe', '-n', 'limited', '--ignore-not-found']),
          );
          await apply(pod('probe', 'limited'));
          const p = await json('pod', 'probe', '-n', 'limited');
          return p.metadata.annotations?.['kubernetes.io/limit-ranger'] !== undefined;
        },
        { timeoutMs: 30_000 },
      );
      const p = await json('pod', 'probe', '-n', 'limited');
      assert.deepEqual(p.spec.containers[0].resources, {
        limits: { cpu: '500m', memory: '256Mi' },
        requests: { cpu: '100m', memory: '128Mi' },
      });
      assert.equal(
        p.metadata.annotations['kubernetes.io/limit-ranger'],
        'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app',
      );
    });

    it('refuses a container above max and a claim below min, in kube words', async () => {
      assert.equal(
        await refused(
          pod('big', 'limited').replace(
            'image: nginx}',
            'image: nginx, resources: {limits: {cpu: "2"}}}',
          ),
        ),
        'Error from server (Forbidden): error when creating "STDIN": pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
      );
      assert.equal(
        await refused(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: small, namespace: limited}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  resources: {requests: {storage: 500Mi}}
`),
        'Error from server (Forbidden): error when creating "STDIN": persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi',
      );
    });
  });

  describe('Priority and DefaultTolerationSeconds', () => {
    it('give a plain pod priority 0, PreemptLowerPriority and the two 300 s tolerations', async () => {
      await apply(pod('plain', 'adm'));
      const p = await json('pod', 'plain', '-n', 'adm');
      assert.equal(p.spec.priority, 0);
      assert.equal(p.spec.preemptionPolicy, 'PreemptLowerPriority');
      assert.deepEqual(p.spec.tolerations, [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ]);
    });

    it('resolves a class, refuses an unknown one and a second global default', async () => {
      await apply(pod('critical', 'adm', '  priorityClassName: system-cluster-critical\n'));
      assert.equal((await json('pod', 'critical', '-n', 'adm')).spec.priority, 2000000000);
      assert.equal(
        await refused(pod('lost', 'adm', '  priorityClassName: nope\n')),
        'Error from server (Forbidden): error when creating "STDIN": pods "lost" is forbidden: no PriorityClass with name nope was found',
      );
      assert.equal(
        await refused(pod('forced', 'adm', '  priority: 7\n')),
        'Error from server (Forbidden): error when creating "STDIN": pods "forced" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
      );
      const pc = (name: string) =>
        `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: ${name}}\nvalue: 10\nglobalDefault: true\n`;
      await apply(pc('first-default'));
      assert.equal(
        await refused(pc('second-default')),
        'Error from server (Forbidden): error when creating "STDIN": priorityclasses.scheduling.k8s.io "second-default" is forbidden: PriorityClass first-default is already marked as default. Only one default can exist',
      );
      await waitFor(
        async () => {
          await ok(
            plane.kubectl(['delete', 'pod', 'defaulted', '-n', 'adm', '--ignore-not-found']),
          );
          await apply(pod('defaulted', 'adm'));
          return (await json('pod', 'defaulted', '-n', 'adm')).spec.priority === 10;
        },
        { timeoutMs: 30_000 },
      );
      assert.equal(
        (await json('pod', 'defaulted', '-n', 'adm')).spec.priorityClassName,
        'first-default',
      );
      await k('delete', 'priorityclass', 'first-default');
    });
  });

  describe('ServiceAccount', () => {
    it('runs a pod as "default" and mounts the projected API token', async () => {
      const p = await json('pod', 'plain', '-n', 'adm');
      assert.equal(p.spec.serviceAccountName, 'default');
      const volume = p.spec.volumes.find((v: { name: string }) =>
        v.name.startsWith('kube-api-access-'),
      );
      assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(volume.projected, {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [
                {
                  path: 'namespace',
                  fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
                },
              ],
            },
          },
        ],
        defaultMode: 420,
      });
      assert.deepEqual(p.spec.containers[0].volumeMounts, [
        {
          name: volume.name,
          readOnly: true,
          mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
        },
      ]);
    });

    it('refuses a pod whose account does not exist, and honours automount off', async () => {
      assert.equal(
        await refused(pod('robot', 'adm', '  serviceAccountName: robot\n')),
        'Error from server (Forbidden): error when creating "STDIN": pods "robot" is forbidden: error looking up service account adm/robot: serviceaccount "robot" not found',
      );
      await apply(pod('untokened', 'adm', '  automountServiceAccountToken: false\n'));
      const p = await json('pod', 'untokened', '-n', 'adm');
      assert.equal(p.spec.volumes, undefined);
      assert.equal(p.spec.containers[0].volumeMounts, undefined);
    });

    it("a pod's account cannot change once it runs", async () => {
      const r = await plane.kubectl([
        'patch',
        'pod',
        'plain',
        '-n',
        'adm',
        '--type=merge',
        '-p',
        '{"spec":{"serviceAccountName":"other"}}',
      ]);
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        /^The Pod "plain" is invalid: spec: Forbidden: pod updates may not change fields other than/,
      );
    });

    it('a namespace has its default account as soon as it exists', async () => {
      await k('create', 'namespace', 'fresh');
      assert.equal(
        (await json('serviceaccount', 'default', '-n', 'fresh')).metadata.name,
        'default',
      );
      await apply(pod('first', 'fresh'));
      // Deleted, it comes back, as kube's serviceaccounts controller brings it back.
      await k('delete', 'serviceaccount', 'default', '-n', 'fresh');
      await waitFor(
        async () =>
          (await plane.kubectl(['get', 'serviceaccount', 'default', '-n', 'fresh'])).code === 0,
        { timeoutMs: 30_000, message: 'the default ServiceAccount recreated' },
      );
    });
  });

  describe('DefaultStorageClass and DefaultIngressClass', () => {
    it('fill the class of claims and ingresses that name none', async () => {
      await apply(`
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
provisioner: example.com/fast
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: edge, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec: {controller: example.com/edge}
`);
      const claim = (name: string) => `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}, namespace: adm}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`;
      const ingress = (name: string) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: adm}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
`;
      let n = 0;
      await waitFor(
        async () => {
          n += 1;
          await apply(claim(`c${n}`));
          await apply(ingress(`i${n}`));
          const c = await json('pvc', `c${n}`, '-n', 'adm');
          const i = await json('ingress', `i${n}`, '-n', 'adm');
          return c.spec.storageClassName === 'fast' && i.spec.ingressClassName === 'edge';
        },
        { timeoutMs: 30_000 },
      );
      await apply(claim('explicit').replace('accessModes', 'storageClassName: ""\n  accessModes'));
      assert.equal((await json('pvc', 'explicit', '-n', 'adm')).spec.storageClassName, '');
    });
  });

  describe('TaintNodesByCondition and PersistentVolumeClaimResize', () => {
    it('a new node starts tainted not-ready:NoSchedule', async () => {
      await apply('apiVersion: v1\nkind: Node\nmetadata: {name: worker-1}\n');
      assert.deepEqual((await json('node', 'worker-1')).spec.taints, [
        { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
      ]);
    });

    it('lets a bound claim grow only when its class allows expansion', async () => {
      await apply(`
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: elastic}
provisioner: example.com/elastic
allowVolumeExpansion: true
`);
      const claim = (name: string, cls: string) => `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}, namespace: adm}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ${cls}
  resources: {requests: {storage: 1Gi}}
`;
      const grow = (name: string) =>
        plane.kubectl([
          'patch',
          'pvc',
          name,
          '-n',
          'adm',
          '--type=merge',
          '-p',
          '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}',
        ]);
      for (const [name, cls] of [
        ['stiff', 'fast'],
        ['stretchy', 'elastic'],
      ] as const) {
        await apply(claim(name, cls));
        // No volume binder runs here: bind through the status subresource as one would.
        await k(
          'patch',
          'pvc',
          name,
          '-n',
          'adm',
          '--subresource=status',
          '--type=merge',
          '-p',
          '{"status":{"phase":"Bound"}}',
        );
      }
      const stiff = await grow('stiff');
      assert.notEqual(stiff.code, 0);
      assert.equal(
        stiff.stderr.trim(),
        'Error from server (Forbidden): persistentvolumeclaims "stiff" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
      );
      await waitFor(async () => (await grow('stretchy')).code === 0, { timeoutMs: 30_000 });
      assert.equal(
        (await json('pvc', 'stretchy', '-n', 'adm')).spec.resources.requests.storage,
        '2Gi',
      );
    });
  });

  describe('StorageObjectInUseProtection', () => {
    it('protects new claims; one in use by a running pod outlives its delete until the pod is gone', async () => {
      await apply(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: held-claim, namespace: adm}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`);
      assert.deepEqual((await json('pvc', 'held-claim', '-n', 'adm')).metadata.finalizers, [
        'kubernetes.io/pvc-protection',
      ]);
      await apply(
        pod(
          'claim-user',
          'adm',
          `  nodeName: worker-1
  volumes: [{name: data, persistentVolumeClaim: {claimName: held-claim}}]
`,
        ),
      );
      await k('delete', 'pvc', 'held-claim', '-n', 'adm', '--wait=false');
      const deleting = await json('pvc', 'held-claim', '-n', 'adm');
      assert.ok(deleting.metadata.deletionTimestamp);
      assert.deepEqual(deleting.metadata.finalizers, ['kubernetes.io/pvc-protection']);
      await k('delete', 'pod', 'claim-user', '-n', 'adm', '--grace-period=0', '--force');
      await waitFor(
        async () =>
          (await plane.kubectl(['get', 'pvc', 'held-claim', '-n', 'adm'])).stderr.includes(
            'NotFound',
          ),
        { timeoutMs: 30_000, message: 'the released claim to be gone' },
      );
    });
  });

  describe('RuntimeClass', () => {
    it('sets overhead and scheduling, refuses unknown classes and pod overheads', async () => {
      await apply(`
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: kata}
handler: kata
overhead: {podFixed: {cpu: 250m, memory: 120Mi}}
scheduling:
  nodeSelector: {runtime: kata}
  tolerations: [{key: kata, operator: Exists, effect: NoSchedule}]
`);
      await waitFor(
        async () => {
          const r = await plane.kubectl(
            ['create', '-f', '-'],
            pod('sandboxed', 'adm', '  runtimeClassName: kata\n'),
          );
          return r.code === 0;
        },
        { timeoutMs: 30_000 },
      );
      const p = await json('pod', 'sandboxed', '-n', 'adm');
      assert.deepEqual(p.spec.overhead, { cpu: '250m', memory: '120Mi' });
      assert.deepEqual(p.spec.nodeSelector, { runtime: 'kata' });
      assert.ok(
        p.spec.tolerations.some((t: { key?: string }) => t.key === 'kata'),
        JSON.stringify(p.spec.tolerations),
      );
      assert.equal(
        await refused(pod('nosuch', 'adm', '  runtimeClassName: gvisor\n')),
        'Error from server (Forbidden): error when creating "STDIN": pods "nosuch" is forbidden: pod rejected: RuntimeClass "gvisor" not found',
      );
      assert.equal(
        await refused(pod('ownoverhead', 'adm', '  overhead: {cpu: "1"}\n')),
        'Error from server (Forbidden): error when creating "STDIN": pods "ownoverhead" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead',
      );
    });
  });

  describe('--disable-admission-plugins', () => {
    it('turns DefaultTolerationSeconds off', async () => {
      await plane.restart('admission', {
        extraArgs: ['--disable-admission-plugins=DefaultTolerationSeconds'],
      });
      await waitFor(
        async () => {
          await ok(plane.kubectl(['delete', 'pod', 'bare', '-n', 'adm', '--ignore-not-found']));
          const r = await plane.kubectl(['create', '-f', '-'], pod('bare', 'adm'));
          if (r.code !== 0) return false;
          return (await json('pod', 'bare', '-n', 'adm')).spec.tolerations === undefined;
        },
        { timeoutMs: 60_000 },
      );
      // The others still run.
      assert.equal((await json('pod', 'bare', '-n', 'adm')).spec.priority, 0);
    });
  });
});
