// Service ClusterIP / NodePort allocation through the store's write path against a real etcd.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '@splitplane/apimachinery';
import { createLogger } from '@splitplane/kit';
import type { RequestAttributes } from '@splitplane/proto';
import { BUILTIN_RESOURCES, type KubeObject, Scheme } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { ensureSystemNamespaces } from '../namespace-controller/system-namespaces.js';
import { AllocationRepair } from '../service-controller/allocation-repair.js';
import { ensureKubernetesService } from '../service-controller/kubernetes-service.js';
import { strategyFor } from '../strategies/index.js';
import { create } from '../store/create.js';
import { deleteCollection } from '../store/delete-collection.js';
import { deleteObject } from '../store/delete.js';
import { Store } from '../store/store.js';
import { update } from '../store/update.js';
import { PortRange, RangeFlagError, ServiceIPRange } from './ranges.js';
import {
  SERVICE_IP_PREFIX,
  SERVICE_NODE_PORT_PREFIX,
  ServiceAllocator,
} from './service-allocation.js';

type Obj = Record<string, any>;
const log = createLogger('allocation-test');
const json = (o: unknown) => Buffer.from(JSON.stringify(o));

function attrs(
  namespace: string,
  name = '',
  extra: Partial<RequestAttributes> = {},
): RequestAttributes {
  return {
    user: { username: 'alice', uid: '', groups: [], extra: {} },
    resource: { group: '', version: 'v1', resource: 'services' },
    namespace,
    name,
    subresource: '',
    dryRun: false,
    fieldManager: '',
    fieldValidation: '',
    auditId: '',
    ...extra,
  };
}

const svc = (name: string, spec: Obj): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec,
});
const http = [{ name: 'http', port: 80, targetPort: 8080 }];

interface Plane {
  etcd: EtcdHandle;
  storages: EtcdStorage[];
  stores: Store[];
  allocator: ServiceAllocator;
}

// Values a test requests by hand come from the low static band (the first 16 IPs and ports
// of these small ranges), which dynamic allocation leaves alone while the upper band has
// room; elsewhere a random allocation by another test could take them first.
async function startPlane(cidr: string, replicas = 1, ports = '30000-32767'): Promise<Plane> {
  const etcd = await startEtcd();
  const storages: EtcdStorage[] = [];
  const stores: Store[] = [];
  let allocator: ServiceAllocator | undefined;
  for (let i = 0; i < replicas; i++) {
    // Each "replica" has its own etcd client, allocator and store, as separate registries do.
    const storage = new EtcdStorage(createEtcdClient({ servers: [etcd.endpoint] }));
    const alloc = new ServiceAllocator(storage, {
      serviceClusterIPRange: new ServiceIPRange(cidr),
      serviceNodePortRange: new PortRange(ports),
      log,
    });
    const hooks = alloc.hooks();
    storages.push(storage);
    stores.push(
      new Store({
        storage,
        scheme: new Scheme(BUILTIN_RESOURCES),
        strategyFor,
        hooksFor: (def) => (def.kind === 'Service' && def.group === '' ? hooks : undefined),
      }),
    );
    allocator ??= alloc;
  }
  await ensureSystemNamespaces(stores[0]!);
  return { etcd, storages, stores, allocator: allocator! };
}

async function stopPlane(p: Plane | undefined): Promise<void> {
  for (const s of p?.storages ?? []) s.close();
  await p?.etcd.stop();
}

const rejectsWith = (
  p: Promise<unknown>,
  code: number,
  reason: string,
  message?: string | RegExp,
) =>
  assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StatusError, String(err));
    assert.equal(err.code, code, err.message);
    assert.equal(err.reason, reason, err.message);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });

async function keys(storage: EtcdStorage, prefix: string): Promise<string[]> {
  return (await storage.client.getAll().prefix(prefix).keys())
    .map((k) => k.slice(prefix.length))
    .sort();
}

describe('service allocation (one registry)', () => {
  let plane: Plane;
  let store: Store;
  let storage: EtcdStorage;
  const make = async (o: Obj, ns = 'default', extra: Partial<RequestAttributes> = {}) =>
    (await create(store, store.context(attrs(ns, '', extra)), json(o))).object as Obj;
  const del = async (name: string, ns = 'default', extra: Partial<RequestAttributes> = {}) =>
    deleteObject(store, store.context(attrs(ns, name, extra)), json({}));
  const put = async (o: Obj, ns = 'default') =>
    (await update(store, store.context(attrs(ns, o.metadata.name)), json(o))).object as Obj;
  const ipKeys = () => keys(storage, SERVICE_IP_PREFIX);
  const portKeys = async () => (await keys(storage, SERVICE_NODE_PORT_PREFIX)).map(Number);

  before(async () => {
    plane = await startPlane('10.96.0.0/24', 1, '30000-30099');
    store = plane.stores[0]!;
    storage = plane.storages[0]!;
    await store.storage.create('/registry/namespaces/other', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'other' },
      status: { phase: 'Active' },
    });
  });
  after(() => stopPlane(plane));

  it('allocates a cluster IP on create, records its owner, and never hands out the first address', async () => {
    const out = await make(svc('web', { selector: { app: 'web' }, ports: http }));
    const ip = out.spec.clusterIP as string;
    assert.match(ip, /^10\.96\.0\.\d+$/);
    assert.notEqual(ip, '10.96.0.1');
    assert.deepEqual(out.spec.clusterIPs, [ip]);
    assert.deepEqual(out.spec.ipFamilies, ['IPv4']);
    assert.equal(out.spec.ipFamilyPolicy, 'SingleStack');
    const rec = await storage.get(SERVICE_IP_PREFIX + ip);
    assert.deepEqual((rec?.obj as Obj).owner, {
      namespace: 'default',
      name: 'web',
      uid: out.metadata.uid,
    });
    // Dynamic values come from the upper band (KEP-3070): offset >= 16 in a /24.
    assert.ok(Number(ip.split('.')[3]) > 16, ip);
  });

  it('gives headless and ExternalName services no cluster IP', async () => {
    const before = await ipKeys();
    const headless = await make(
      svc('db', { clusterIP: 'None', selector: { app: 'db' }, ports: http }),
    );
    assert.equal(headless.spec.clusterIP, 'None');
    assert.deepEqual(headless.spec.clusterIPs, ['None']);
    const ext = await make(svc('ext', { type: 'ExternalName', externalName: 'example.com' }));
    assert.equal(ext.spec.clusterIP, undefined);
    assert.equal(ext.spec.clusterIPs, undefined);
    assert.deepEqual(await ipKeys(), before);
  });

  it('takes a requested IP when free, and refuses a taken or out-of-range one with kube 422s', async () => {
    const out = await make(svc('fixed', { clusterIP: '10.96.0.10', ports: http }));
    assert.equal(out.spec.clusterIP, '10.96.0.10');
    assert.ok((await ipKeys()).includes('10.96.0.10'));
    await rejectsWith(
      make(svc('fixed2', { clusterIP: '10.96.0.10', ports: http })),
      422,
      'Invalid',
      /^Service "fixed2" is invalid: spec\.clusterIPs: Invalid value: .*"10\.96\.0\.10".*: failed to allocate IP 10\.96\.0\.10: provided IP is already allocated$/,
    );
    await rejectsWith(
      make(svc('faraway', { clusterIP: '10.100.0.1', ports: http })),
      422,
      'Invalid',
      /^Service "faraway" is invalid: spec\.clusterIPs: Invalid value: .*: failed to allocate IP 10\.100\.0\.1: the provided IP \(10\.100\.0\.1\) is not in the valid range\. The range of valid IPs is 10\.96\.0\.0\/24$/,
    );
    // The network address is outside the allocatable range too.
    await rejectsWith(
      make(svc('net', { clusterIP: '10.96.0.0', ports: http })),
      422,
      'Invalid',
      /not in the valid range/,
    );
    await rejectsWith(
      make(svc('six', { clusterIP: 'fd00::1', ports: http })),
      422,
      'Invalid',
      /spec\.clusterIPs\[0\].*IPv6 is not configured on this cluster/,
    );
    await rejectsWith(
      make(svc('dual', { ipFamilyPolicy: 'RequireDualStack', ports: http })),
      422,
      'Invalid',
      /this cluster is not configured for dual-stack services/,
    );
    // Malformed IPs are validation's: the usual field error, nothing allocated.
    await rejectsWith(
      make(svc('junk', { clusterIP: '10.96.0.300', ports: http })),
      422,
      'Invalid',
      /spec\.clusterIPs\[0\]: Invalid value: "10\.96\.0\.300"/,
    );
  });

  it('allocates node ports for NodePort services, honours requested ones, and refuses bad ones', async () => {
    const out = await make(
      svc('np', {
        type: 'NodePort',
        ports: [
          { name: 'a', port: 80 },
          { name: 'b', port: 81, nodePort: 30011 },
          { name: 'dns-udp', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      }),
    );
    const ports = out.spec.ports as Obj[];
    assert.ok(ports[0]!.nodePort >= 30000 && ports[0]!.nodePort <= 30099);
    assert.equal(ports[1]!.nodePort, 30011);
    // One node port per service port number, shared across protocols, as kube does.
    assert.equal(ports[2]!.nodePort, ports[3]!.nodePort);
    assert.match(out.spec.clusterIP, /^10\.96\.0\./);
    const held = await portKeys();
    for (const p of ports) assert.ok(held.includes(p.nodePort), `${p.nodePort} recorded`);

    await rejectsWith(
      make(svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30011 }] })),
      422,
      'Invalid',
      'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30011: provided port is already allocated',
    );
    await rejectsWith(
      make(svc('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] })),
      422,
      'Invalid',
      'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 31000: provided port is not in the valid range. The range of valid ports is 30000-30099',
    );
    await rejectsWith(
      make(
        svc('np4', {
          type: 'NodePort',
          ports: [
            { name: 'a', port: 80, nodePort: 30012 },
            { name: 'b', port: 81, nodePort: 30012 },
          ],
        }),
      ),
      422,
      'Invalid',
      /spec\.ports\[1\]\.nodePort: Invalid value: 30012: provided port is already allocated/,
    );
    // None of the refused creates kept anything.
    assert.deepEqual(await portKeys(), held);
  });

  it('LoadBalancer: node ports unless allocateLoadBalancerNodePorts is false; Local gets a health check port', async () => {
    const lb = await make(
      svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: http }),
    );
    assert.ok(lb.spec.ports[0].nodePort >= 30000);
    assert.ok(lb.spec.healthCheckNodePort >= 30000 && lb.spec.healthCheckNodePort <= 30099);
    assert.notEqual(lb.spec.healthCheckNodePort, lb.spec.ports[0].nodePort);
    const bare = await make(
      svc('lb-bare', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: http }),
    );
    assert.equal(bare.spec.ports[0].nodePort, undefined);
    assert.equal(bare.spec.healthCheckNodePort, undefined);
    const before = await portKeys();
    await del('lb');
    const afterDelete = await portKeys();
    assert.ok(!afterDelete.includes(lb.spec.ports[0].nodePort));
    assert.ok(!afterDelete.includes(lb.spec.healthCheckNodePort));
    assert.equal(afterDelete.length, before.length - 2);
  });

  it('releases on delete: the IP and node port can be taken again', async () => {
    const a = await make(
      svc('reuse', {
        type: 'NodePort',
        clusterIP: '10.96.0.12',
        ports: [{ port: 80, nodePort: 30013 }],
      }),
    );
    assert.equal(a.spec.clusterIP, '10.96.0.12');
    await del('reuse');
    assert.ok(!(await ipKeys()).includes('10.96.0.12'));
    assert.ok(!(await portKeys()).includes(30013));
    const b = await make(
      svc('reuse2', {
        type: 'NodePort',
        clusterIP: '10.96.0.12',
        ports: [{ port: 80, nodePort: 30013 }],
      }),
    );
    assert.equal(b.spec.clusterIP, '10.96.0.12');
    await del('reuse2');
  });

  it('leaks nothing when the create fails after allocating (AlreadyExists, validation)', async () => {
    await make(svc('taken', { ports: http }));
    const [ips, ports] = [await ipKeys(), await portKeys()];
    await rejectsWith(make(svc('taken', { type: 'NodePort', ports: http })), 409, 'AlreadyExists');
    await rejectsWith(
      make(svc('taken', { clusterIP: '10.96.0.13', ports: http })),
      409,
      'AlreadyExists',
    );
    // Allocation happens before validation, which then fails (bad selector): all given back.
    await rejectsWith(
      make(svc('invalid', { type: 'NodePort', selector: { 'bad key!': 'x' }, ports: http })),
      422,
      'Invalid',
      /spec\.selector/,
    );
    assert.deepEqual(await ipKeys(), ips);
    assert.deepEqual(await portKeys(), ports);
  });

  it('dryRun shows an allocation but stores none, and still reports a taken IP', async () => {
    const [ips, ports] = [await ipKeys(), await portKeys()];
    const out = await make(svc('dry', { type: 'NodePort', ports: http }), 'default', {
      dryRun: true,
    });
    assert.match(out.spec.clusterIP, /^10\.96\.0\./);
    assert.ok(out.spec.ports[0].nodePort >= 30000);
    await rejectsWith(
      make(svc('dry2', { clusterIP: '10.96.0.10', ports: http }), 'default', { dryRun: true }),
      422,
      'Invalid',
      /provided IP is already allocated/,
    );
    const fine = await make(svc('dry3', { clusterIP: '10.96.0.40', ports: http }), 'default', {
      dryRun: true,
    });
    assert.equal(fine.spec.clusterIP, '10.96.0.40');
    assert.deepEqual(await ipKeys(), ips);
    assert.deepEqual(await portKeys(), ports);
    // A dry-run delete releases nothing.
    await del('web', 'default', { dryRun: true });
    assert.deepEqual(await ipKeys(), ips);
  });

  it('updates keep allocations, type changes allocate and release, clusterIP stays immutable', async () => {
    const created = await make(svc('morph', { selector: { app: 'm' }, ports: http }));
    const ip = created.spec.clusterIP as string;
    // A replace that omits the clusterIP keeps it.
    let cur = await put({
      ...svc('morph', { selector: { app: 'm2' }, ports: http }),
      metadata: { name: 'morph' },
    });
    assert.equal(cur.spec.clusterIP, ip);
    // ClusterIP -> NodePort: a node port appears.
    cur = await put(svc('morph', { ...cur.spec, type: 'NodePort' }));
    const np = cur.spec.ports[0].nodePort as number;
    assert.ok(np >= 30000 && (await portKeys()).includes(np));
    // NodePort -> ClusterIP: the node port is released.
    const { nodePort: _drop, ...port } = cur.spec.ports[0];
    cur = await put(
      svc('morph', {
        ...cur.spec,
        type: 'ClusterIP',
        externalTrafficPolicy: undefined,
        ports: [port],
      }),
    );
    assert.equal(cur.spec.ports[0].nodePort, undefined);
    assert.ok(!(await portKeys()).includes(np));
    // Changing the clusterIP is refused, and the requested IP is not left taken.
    await rejectsWith(
      put(svc('morph', { ...cur.spec, clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'] })),
      422,
      'Invalid',
      /may not change once set/,
    );
    assert.ok(!(await ipKeys()).includes('10.96.0.50'));
    // -> ExternalName releases the IP; back to ClusterIP allocates a new one.
    cur = await put(
      svc('morph', { type: 'ExternalName', externalName: 'example.com', ports: http }),
    );
    assert.equal(cur.spec.clusterIP, undefined);
    assert.ok(!(await ipKeys()).includes(ip));
    cur = await put(svc('morph', { type: 'ClusterIP', ports: http }));
    assert.match(cur.spec.clusterIP, /^10\.96\.0\./);
    assert.ok((await ipKeys()).includes(cur.spec.clusterIP));
  });

  it('deletecollection (as the namespace controller empties a namespace) releases every allocation', async () => {
    const made: Obj[] = [];
    for (let i = 0; i < 3; i++)
      made.push(await make(svc(`bulk-${i}`, { type: 'NodePort', ports: http }), 'other'));
    await deleteCollection(store, store.context(attrs('other')), json({}), undefined);
    const [ips, ports] = [await ipKeys(), await portKeys()];
    for (const m of made) {
      assert.ok(!ips.includes(m.spec.clusterIP));
      assert.ok(!ports.includes(m.spec.ports[0].nodePort));
    }
  });

  it('repair releases a leaked key after two passes and marks keyless holders taken', async () => {
    const repair = new AllocationRepair(store, plane.allocator, log);
    await plane.allocator.ips.allocate('10.96.0.14', {
      namespace: 'default',
      name: 'ghost',
      uid: 'nobody',
    });
    const held = await make(svc('held', { clusterIP: '10.96.0.15', ports: http }));
    await storage.client.delete().key(SERVICE_IP_PREFIX + '10.96.0.15');
    assert.deepEqual(await repair.runOnce(), { released: 0, claimed: 0 });
    assert.deepEqual(await repair.runOnce(), { released: 1, claimed: 1 });
    const ips = await ipKeys();
    assert.ok(!ips.includes('10.96.0.14'));
    const rec = await storage.get(SERVICE_IP_PREFIX + '10.96.0.15');
    assert.equal((rec?.obj as Obj).owner.uid, held.metadata.uid);
    assert.deepEqual(await repair.runOnce(), { released: 0, claimed: 0 });
  });

  it('creates the kubernetes service idempotently with the first IP', async () => {
    const opts = { clusterIP: '10.96.0.1', targetPort: 6443 };
    await ensureKubernetesService(store, opts, log);
    await ensureKubernetesService(store, opts, log);
    const got = (await storage.get('/registry/services/specs/default/kubernetes'))?.obj as Obj;
    assert.equal(got.spec.clusterIP, '10.96.0.1');
    assert.deepEqual(got.spec.ports, [
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 },
    ]);
    assert.deepEqual(got.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
    // A changed gateway port is put right on the next pass.
    await ensureKubernetesService(store, { ...opts, targetPort: 7443 }, log);
    const fixed = (await storage.get('/registry/services/specs/default/kubernetes'))?.obj as Obj;
    assert.equal(fixed.spec.ports[0].targetPort, 7443);
    assert.equal(fixed.spec.clusterIP, '10.96.0.1');
  });
});

describe('service allocation (two registries, small range)', () => {
  let plane: Plane;
  before(async () => {
    // /26: 62 usable addresses, the first reserved: 61 for dynamic allocation.
    plane = await startPlane('10.97.0.0/26', 2);
  });
  after(() => stopPlane(plane));

  const makeOn = async (i: number, name: string, spec: Obj = { ports: http }) => {
    const store = plane.stores[i % 2]!;
    return (await create(store, store.context(attrs('default')), json(svc(name, spec))))
      .object as KubeObject & Obj;
  };

  it('never hands out the same IP twice under 50 concurrent creates across two stores', async () => {
    const made = await Promise.all(Array.from({ length: 50 }, (_, i) => makeOn(i, `c-${i}`)));
    const ips = made.map((m) => m.spec.clusterIP as string);
    assert.equal(new Set(ips).size, 50, `duplicates in ${ips.join(',')}`);
    const range = new ServiceIPRange('10.97.0.0/26');
    for (const ip of ips) {
      assert.notEqual(range.offsetOf(ip), undefined, ip);
      assert.notEqual(ip, '10.97.0.1');
    }
    assert.equal((await keys(plane.storages[0]!, SERVICE_IP_PREFIX)).length, 50);
  });

  it("fills the range, then answers kube's range-is-full 500; the reserved first IP can still be requested", async () => {
    for (let i = 50; i < 61; i++) await makeOn(i, `c-${i}`);
    await rejectsWith(
      makeOn(0, 'one-too-many'),
      500,
      'InternalError',
      'Internal error occurred: failed to allocate a serviceIP: range is full',
    );
    const k = await makeOn(1, 'kubernetes-like', { clusterIP: '10.97.0.1', ports: http });
    assert.equal(k.spec.clusterIP, '10.97.0.1');
    assert.equal((await keys(plane.storages[0]!, SERVICE_IP_PREFIX)).length, 62);
  });
});

describe('range flags', () => {
  it('parses kube-apiserver defaults and rejects malformed values clearly', () => {
    const r = new ServiceIPRange('10.96.0.0/12');
    assert.equal(r.firstIP, '10.96.0.1');
    assert.equal(r.size, 2 ** 20 - 2);
    assert.equal(r.offsetOf('10.111.255.254'), r.size - 1);
    assert.equal(r.offsetOf('10.111.255.255'), undefined);
    for (const bad of [
      '10.96.0.0',
      '10.96.0.0/33',
      'banana',
      '10.96.0.1/12',
      '10.0.0.0/8',
      'fd00::/108',
    ]) {
      assert.throws(() => new ServiceIPRange(bad), RangeFlagError, bad);
    }
    const p = new PortRange('30000-32767');
    assert.equal(p.size, 2768);
    assert.equal(new PortRange('30000+100').text, '30000-30100');
    for (const bad of ['30000', '32767-30000', '0-10', '1-70000', 'x-y'])
      assert.throws(() => new PortRange(bad), RangeFlagError, bad);
  });
});
