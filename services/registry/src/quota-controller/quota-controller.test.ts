// The quota controller in a real registry on a real etcd: status mirrors spec, usage is
// counted on create and resync and given back on deletes and shrinking updates.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, createLogger, dial } from '@splitplane/kit';
import { RegistryClient, type RequestAttributes } from '@splitplane/proto';
import { collectionPrefix } from '@splitplane/scheme';
import { startEtcd, waitFor, type EtcdHandle } from '@splitplane/testing';
import { startRegistry, type RunningRegistry } from '../registry.js';
import { parseDurationMs } from './duration.js';

type Obj = Record<string, any>;
const NS = 'default';

function attrs(resource: string, name = '', subresource = ''): RequestAttributes {
  return {
    user: { username: 'alice', uid: '', groups: ['system:authenticated'], extra: {} },
    resource: { group: '', version: 'v1', resource },
    namespace: NS,
    name,
    subresource,
    dryRun: false,
    fieldManager: '',
    fieldValidation: '',
    auditId: '',
  };
}

const json = (o: unknown) => Buffer.from(JSON.stringify(o));

const pod = (name: string, cpu: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }] },
});

describe('resource quota controller', () => {
  let etcd: EtcdHandle;
  let registry: RunningRegistry;
  let client: RegistryClient;

  const create = (resource: string, obj: Obj) =>
    call(client, client.create, { attributes: attrs(resource), object: json(obj) });
  const del = (resource: string, name: string) =>
    call(client, client.delete, {
      attributes: attrs(resource, name),
      options: json({ gracePeriodSeconds: 0 }),
    });
  const read = async (resource: string, name: string): Promise<Obj | undefined> => {
    const def = registry.store.scheme.resource('', 'v1', resource)!;
    return (await registry.store.storage.get(registry.store.key(def, NS, name)))?.obj as Obj;
  };
  const statusOf = async (name: string) => (await read('resourcequotas', name))?.status as Obj;
  /** Waits for `check` to pass; on timeout its own assertion error explains what is wrong. */
  const eventually = async (check: () => Promise<void>) => {
    try {
      await waitFor(async () => (await check(), true), { timeoutMs: 20_000, intervalMs: 50 });
    } catch {
      await check();
    }
  };
  const waitForStatus = (name: string, want: Obj) =>
    eventually(async () => assert.deepEqual(await statusOf(name), want));

  before(async () => {
    etcd = await startEtcd();
    registry = await startRegistry(
      {
        etcdServers: [etcd.endpoint],
        listenAddress: '127.0.0.1:0',
        resourceQuotaSyncPeriodMs: 400,
      },
      createLogger('quota-controller-test'),
    );
    client = dial(RegistryClient, `127.0.0.1:${registry.port}`);
  });
  after(async () => {
    client?.close();
    await registry?.stop();
    await etcd?.stop();
  });

  it('fills status from spec and what the namespace holds, then gives back on delete', async () => {
    await create('pods', pod('a', '250m'));
    await create('pods', pod('b', '500m'));
    await create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    const hard = {
      pods: '10',
      'count/pods': '10',
      'requests.cpu': '2',
      configmaps: '5',
      services: '3',
    };
    await create('resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q' },
      spec: { hard },
    });
    // The namespace also holds the kubernetes Service (and whatever else bootstrap made).
    const count = async (resource: string) => {
      const def = registry.store.scheme.resource('', 'v1', resource)!;
      return (await registry.store.storage.list(collectionPrefix(def, NS))).items.length;
    };
    const cms = await count('configmaps');
    const svcs = await count('services');
    await waitForStatus('q', {
      hard,
      used: {
        configmaps: String(cms),
        'count/pods': '2',
        pods: '2',
        'requests.cpu': '750m',
        services: String(svcs),
      },
    });
    await del('pods', 'a');
    await waitForStatus('q', {
      hard,
      used: {
        configmaps: String(cms),
        'count/pods': '1',
        pods: '1',
        'requests.cpu': '500m',
        services: String(svcs),
      },
    });
  });

  it('mirrors a new spec into status.hard', async () => {
    const q = await read('resourcequotas', 'q');
    q!.spec.hard.pods = '20';
    await call(client, client.update, {
      attributes: attrs('resourcequotas', 'q'),
      object: json(q),
    });
    await eventually(async () => assert.equal((await statusOf('q')).hard.pods, '20'));
  });

  it('recounts on the periodic resync whatever drifted', async () => {
    const def = registry.store.scheme.resource('', 'v1', 'resourcequotas')!;
    await registry.store.storage.guaranteedUpdate(registry.store.key(def, NS, 'q'), (cur) => {
      const next = structuredClone(cur!) as Obj;
      next.status.used.pods = '7';
      return next;
    });
    await eventually(async () => assert.equal((await statusOf('q')).used.pods, '1'));
  });

  it('gives back a pod’s compute once it finishes (pods/status)', async () => {
    const b = await read('pods', 'b');
    b!.status = { ...b!.status, phase: 'Succeeded' };
    await call(client, client.update, {
      attributes: attrs('pods', 'b', 'status'),
      object: json(b),
    });
    await eventually(async () => {
      const used = (await statusOf('q')).used;
      assert.deepEqual(
        { pods: used.pods, count: used['count/pods'], cpu: used['requests.cpu'] },
        { pods: '0', count: '1', cpu: '0' },
      );
    });
  });

  it('gives back a load balancer when a Service stops being one', async () => {
    await create('resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'lb' },
      spec: { hard: { 'services.loadbalancers': '2' } },
    });
    await waitForStatus('lb', {
      hard: { 'services.loadbalancers': '2' },
      used: { 'services.loadbalancers': '0' },
    });
    await create('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    });
    // Without admission nothing charges it: set the charge as admission would have.
    const def = registry.store.scheme.resource('', 'v1', 'resourcequotas')!;
    await registry.store.storage.guaranteedUpdate(registry.store.key(def, NS, 'lb'), (cur) => {
      const next = structuredClone(cur!) as Obj;
      next.status.used['services.loadbalancers'] = '1';
      return next;
    });
    const svc = await read('services', 'web');
    svc!.spec.type = 'ClusterIP';
    delete svc!.spec.ports[0].nodePort;
    delete svc!.spec.externalTrafficPolicy;
    delete svc!.spec.allocateLoadBalancerNodePorts;
    await call(client, client.update, { attributes: attrs('services', 'web'), object: json(svc) });
    await waitForStatus('lb', {
      hard: { 'services.loadbalancers': '2' },
      used: { 'services.loadbalancers': '0' },
    });
  });
});

describe('resource quota controller catching up', () => {
  let etcd: EtcdHandle;
  let registry: RunningRegistry;

  before(async () => {
    etcd = await startEtcd();
    registry = await startRegistry(
      {
        etcdServers: [etcd.endpoint],
        listenAddress: '127.0.0.1:0',
        resourceQuotaSyncPeriodMs: 3_600_000,
        resourceQuotaCheckIntervalMs: 200,
      },
      createLogger('quota-controller-catch-up-test'),
    );
  });
  after(async () => {
    await registry?.stop();
    await etcd?.stop();
  });

  it('fills the status of a quota whose writer never recounted it, long before the resync', async () => {
    const def = registry.store.scheme.resource('', 'v1', 'resourcequotas')!;
    const key = registry.store.key(def, NS, 'orphan');
    // Stored without the store's hooks, as if its registry replica died right after the write.
    await registry.store.storage.create(key, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: {
        name: 'orphan',
        namespace: NS,
        uid: 'u',
        creationTimestamp: '2020-01-01T00:00:00Z',
      },
      spec: { hard: { 'count/configmaps': '5' } },
      status: {},
    });
    const cms = (
      await registry.store.storage.list(
        collectionPrefix(registry.store.scheme.resource('', 'v1', 'configmaps')!, NS),
      )
    ).items.length;
    await waitFor(
      async () => {
        const status = (await registry.store.storage.get(key))?.obj.status as Obj | undefined;
        return status?.used?.['count/configmaps'] === String(cms);
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );
  });
});

describe('parseDurationMs', () => {
  it('reads Go durations', () => {
    assert.equal(parseDurationMs('5m0s'), 300_000);
    assert.equal(parseDurationMs('1m30s'), 90_000);
    assert.equal(parseDurationMs('250ms'), 250);
    assert.equal(parseDurationMs('0'), 0);
    assert.throws(() => parseDurationMs('5 minutes'), /invalid duration/);
    assert.throws(() => parseDurationMs(''), /invalid duration/);
  });
});
