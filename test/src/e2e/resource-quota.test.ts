// ResourceQuota through a real plane: admission charges quotas by compare-and-swap, so a
// burst of parallel creates never overshoots; the registry's quota controller keeps
// status true (hard from spec, usage given back on deletes); kube's messages as clients see
// them, raw and through kubectl.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@splitplane/testing';
import { ok, startPlane, type Plane } from './plane.js';

const EXCEEDED = (name: string) =>
  `pods "${name}" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=10, limited: pods=10`;

describe('ResourceQuota', { timeout: 600_000 }, () => {
  let plane: Plane;
  const k = (...args: string[]) => ok(plane.kubectl(args));
  const create = (yaml: string) => plane.kubectl(['create', '-f', '-'], yaml);
  const quotaStatus = async (ns: string, name: string) =>
    JSON.parse(await k('get', 'quota', name, '-n', ns, '-o', 'json')).status ?? {};
  /** Waits for `check`; on timeout its own assertion error says what is wrong. */
  const eventually = async (check: () => Promise<void>, timeoutMs = 30_000) => {
    try {
      await waitFor(async () => (await check(), true), { timeoutMs, intervalMs: 200 });
    } catch {
      await check();
    }
  };
  const namespace = async (ns: string) => {
    await k('create', 'namespace', ns);
    // Pods need their service account (the registry makes it; older planes did not).
    const sa = await plane.kubectl(['create', 'serviceaccount', 'default', '-n', ns]);
    assert.ok(sa.code === 0 || /already exists/i.test(sa.stderr), sa.stderr);
  };
  /**
   * Waits until admission's informer has caught up with every quota write so far: a quota
   * refusing configmaps is written after them, and the informer follows writes in order, so
   * once a configmap is refused (and, after the fence is gone, admitted again) it has seen them.
   */
  const fence = async (ns: string) => {
    await k('create', 'quota', 'zz-fence', '--hard=count/configmaps=0', '-n', ns);
    const probe = async () =>
      (
        await plane.request('POST', `/api/v1/namespaces/${ns}/configmaps?dryRun=All`, {
          body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' } }),
          headers: { 'content-type': 'application/json' },
        })
      ).status;
    await eventually(async () => assert.equal(await probe(), 403));
    await k('delete', 'quota', 'zz-fence', '-n', ns);
    await eventually(async () => assert.equal(await probe(), 201));
  };
  const podJson = (name: string) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { containers: [{ name: 'app', image: 'nginx' }] },
    });
  const postPod = (ns: string, name: string, query = '') =>
    plane.request('POST', `/api/v1/namespaces/${ns}/pods${query}`, {
      body: podJson(name),
      headers: { 'content-type': 'application/json' },
    });

  before(async () => {
    plane = await startPlane();
    await namespace('quota-burst');
    await k('create', 'quota', 'pods-quota', '--hard=pods=10', '-n', 'quota-burst');
    await eventually(async () =>
      assert.deepEqual(await quotaStatus('quota-burst', 'pods-quota'), {
        hard: { pods: '10' },
        used: { pods: '0' },
      }),
    );
    await fence('quota-burst');
  });
  after(async () => {
    await plane?.stop();
  });

  it('admits exactly 10 of 100 parallel pod creates; the other 90 get kube’s 403', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => postPod('quota-burst', `p${i}`)),
    );
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 403);
    const other = results.filter((r) => r.status !== 201 && r.status !== 403);
    assert.deepEqual(
      other.map((r) => `${r.status} ${r.body}`),
      [],
    );
    assert.equal(created.length, 10);
    assert.equal(refused.length, 90);
    for (const r of refused) {
      const status = r.json();
      const name = /"(p\d+)"/.exec(status.message)?.[1] ?? '?';
      assert.equal(status.reason, 'Forbidden');
      assert.equal(status.code, 403);
      assert.equal(status.message, EXCEEDED(name));
    }
    const pods = JSON.parse(await k('get', 'pods', '-n', 'quota-burst', '-o', 'json'));
    assert.equal(pods.items.length, 10);
  });

  it('shows the usage in get -o yaml and describe', async () => {
    const yaml = await k('get', 'quota', 'pods-quota', '-n', 'quota-burst', '-o', 'yaml');
    assert.match(yaml, /status:\n {2}hard:\n {4}pods: "10"\n {2}used:\n {4}pods: "10"/);
    const table = await k('get', 'quota', '-n', 'quota-burst');
    assert.match(table, /^NAME\s+REQUEST\s+LIMIT\s+AGE$/m);
    assert.match(table, /^pods-quota\s+pods: 10\/10\s+\S+$/m);
    const describe = await k('describe', 'quota', 'pods-quota', '-n', 'quota-burst');
    assert.match(describe, /^Name:\s+pods-quota$/m);
    assert.match(describe, /^Resource\s+Used\s+Hard$/m);
    assert.match(describe, /^pods\s+10\s+10$/m);
  });

  it('refuses through kubectl with the same message, dry runs included, charging nothing', async () => {
    const r = await create(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: late, namespace: quota-burst}\nspec: {containers: [{name: app, image: nginx}]}\n',
    );
    assert.equal(
      r.stderr.trim(),
      `Error from server (Forbidden): error when creating "STDIN": ${EXCEEDED('late')}`,
    );
    const dry = await postPod('quota-burst', 'dry', '?dryRun=All');
    assert.equal(dry.status, 403);
    assert.equal(dry.json().message, EXCEEDED('dry'));
  });

  it('gives the quota back as pods are deleted', async () => {
    const names = JSON.parse(await k('get', 'pods', '-n', 'quota-burst', '-o', 'json'))
      .items.map((p: { metadata: { name: string } }) => p.metadata.name)
      .slice(0, 3);
    await k('delete', 'pod', ...names, '-n', 'quota-burst', '--grace-period=0', '--force');
    await eventually(async () =>
      assert.deepEqual((await quotaStatus('quota-burst', 'pods-quota')).used, { pods: '7' }),
    );
    // The freed room is usable again, and a dry run there is admitted without a charge.
    assert.equal((await postPod('quota-burst', 'again', '?dryRun=All')).status, 201);
    assert.equal((await postPod('quota-burst', 'again')).status, 201);
    assert.deepEqual((await quotaStatus('quota-burst', 'pods-quota')).used, { pods: '8' });
  });

  it('demands explicit compute resources when the quota limits them', async () => {
    await namespace('quota-compute');
    await k(
      'create',
      'quota',
      'compute',
      '--hard=requests.cpu=1,limits.memory=1Gi',
      '-n',
      'quota-compute',
    );
    await eventually(async () =>
      assert.deepEqual((await quotaStatus('quota-compute', 'compute')).used, {
        'limits.memory': '0',
        'requests.cpu': '0',
      }),
    );
    await fence('quota-compute');
    const bare = await create(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: bare, namespace: quota-compute}\nspec: {containers: [{name: app, image: nginx}, {name: side, image: busybox}]}\n',
    );
    assert.equal(
      bare.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: app,side; requests.cpu for: app,side',
    );
    const sized = (name: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: quota-compute}\nspec: {containers: [{name: app, image: nginx, resources: {requests: {cpu: 600m}, limits: {memory: 512Mi}}}]}\n`;
    await ok(create(sized('first')));
    const second = await create(sized('second'));
    assert.equal(
      second.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": pods "second" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1',
    );
    assert.deepEqual((await quotaStatus('quota-compute', 'compute')).used, {
      'limits.memory': '512Mi',
      'requests.cpu': '600m',
    });
  });

  it('charges only the pods in a quota’s scopes', async () => {
    await namespace('quota-scopes');
    await k('create', 'priorityclass', 'high', '--value=1000');
    await ok(
      create(`apiVersion: v1
kind: ResourceQuota
metadata: {name: best-effort, namespace: quota-scopes}
spec: {hard: {pods: "1"}, scopes: [BestEffort]}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: high, namespace: quota-scopes}
spec:
  hard: {pods: "1"}
  scopeSelector: {matchExpressions: [{scopeName: PriorityClass, operator: In, values: [high]}]}
`),
    );
    for (const name of ['best-effort', 'high'])
      await eventually(async () =>
        assert.deepEqual((await quotaStatus('quota-scopes', name)).used, { pods: '0' }),
      );
    await fence('quota-scopes');
    const podYaml = (name: string, extra: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: quota-scopes}\nspec: {${extra}containers: [{name: app, image: nginx${name.startsWith('sized') ? ', resources: {requests: {cpu: 10m}}' : ''}}]}\n`;
    await ok(create(podYaml('plain-1', '')));
    const second = await create(podYaml('plain-2', ''));
    assert.equal(
      second.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": pods "plain-2" is forbidden: exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1',
    );
    // Outside the BestEffort scope, and not of class high: no quota applies.
    await ok(create(podYaml('sized-1', '')));
    await ok(create(podYaml('sized-2', '')));
    await ok(create(podYaml('sized-high-1', 'priorityClassName: high, ')));
    const high = await create(podYaml('sized-high-2', 'priorityClassName: high, '));
    assert.equal(
      high.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": pods "sized-high-2" is forbidden: exceeded quota: high, requested: pods=1, used: pods=1, limited: pods=1',
    );
  });

  it('leaves deployments alone unless a quota counts them', async () => {
    // The pods quota says nothing about deployments.
    await k('create', 'deployment', 'web', '--image=nginx', '-n', 'quota-burst');
    await namespace('quota-deploy');
    await k('create', 'quota', 'deploys', '--hard=count/deployments.apps=1', '-n', 'quota-deploy');
    await eventually(async () =>
      assert.deepEqual((await quotaStatus('quota-deploy', 'deploys')).used, {
        'count/deployments.apps': '0',
      }),
    );
    await fence('quota-deploy');
    await k('create', 'deployment', 'one', '--image=nginx', '-n', 'quota-deploy');
    const two = await plane.kubectl([
      'create',
      'deployment',
      'two',
      '--image=nginx',
      '-n',
      'quota-deploy',
    ]);
    assert.notEqual(two.code, 0);
    assert.equal(
      two.stderr.trim(),
      'error: failed to create deployment: deployments.apps "two" is forbidden: exceeded quota: deploys, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1',
    );
  });
});

describe(
  'ResourceQuota limitedResources (--admission-control-config-file)',
  { timeout: 600_000 },
  () => {
    let plane: Plane;
    let dir: string;
    const k = (...args: string[]) => ok(plane.kubectl(args));

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'quota-config-'));
      const file = join(dir, 'admission.yaml');
      // kube's documented "limit Priority Class consumption by default" configuration.
      await writeFile(
        file,
        `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: ResourceQuota
  configuration:
    apiVersion: apiserver.config.k8s.io/v1
    kind: ResourceQuotaConfiguration
    limitedResources:
    - resource: pods
      matchScopes:
      - scopeName: PriorityClass
        operator: In
        values: ["cluster-services"]
`,
      );
      plane = await startPlane({
        extraArgs: { admission: [`--admission-control-config-file=${file}`] },
      });
      await k('create', 'priorityclass', 'cluster-services', '--value=1000000');
      await k('create', 'namespace', 'limited');
      const sa = await plane.kubectl(['create', 'serviceaccount', 'default', '-n', 'limited']);
      assert.ok(sa.code === 0 || /already exists/i.test(sa.stderr), sa.stderr);
    });
    after(async () => {
      await plane?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('admits pods of a limited priority class only where a quota covers it', async () => {
      const pod = (name: string) =>
        `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: limited}\nspec: {priorityClassName: cluster-services, containers: [{name: app, image: nginx}]}\n`;
      const message =
        'insufficient quota to match these scopes: [{PriorityClass In [cluster-services]}]';
      const refused = await plane.kubectl(['create', '-f', '-'], pod('critical'));
      assert.equal(
        refused.stderr.trim(),
        `Error from server: error when creating "STDIN": ${message}`,
      );
      const raw = await plane.request('POST', '/api/v1/namespaces/limited/pods', {
        body: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'raw' },
          spec: { priorityClassName: 'cluster-services', containers: [{ name: 'a', image: 'x' }] },
        }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(raw.status, 500);
      assert.equal(raw.json().message, message);
      // Pods of other classes are not limited.
      await ok(
        plane.kubectl(
          ['create', '-f', '-'],
          'apiVersion: v1\nkind: Pod\nmetadata: {name: plain, namespace: limited}\nspec: {containers: [{name: app, image: nginx}]}\n',
        ),
      );
      await ok(
        plane.kubectl(
          ['create', '-f', '-'],
          `apiVersion: v1
kind: ResourceQuota
metadata: {name: critical, namespace: limited}
spec:
  hard: {pods: "10"}
  scopeSelector: {matchExpressions: [{scopeName: PriorityClass, operator: In, values: [cluster-services]}]}
`,
        ),
      );
      await waitFor(
        async () => (await plane.kubectl(['create', '-f', '-'], pod('critical'))).code === 0,
        { timeoutMs: 30_000, intervalMs: 300 },
      );
      const status = JSON.parse(
        await k('get', 'quota', 'critical', '-n', 'limited', '-o', 'json'),
      ).status;
      assert.deepEqual(status.used, { pods: '1' });
    });
  },
);
