// End to end through gRPC: a real etcd, the registry server, and a real Registry client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { StatusError } from '@splitplane/apimachinery';
import { call, createLogger, dial } from '@splitplane/kit';
import { RegistryClient, type ObjectResponse, type RequestAttributes } from '@splitplane/proto';
import { startEtcd, type EtcdHandle } from '@splitplane/testing';
import { startRegistry, type RunningRegistry } from './registry.js';

type Obj = Record<string, any>;

function attrs(
  resource: string,
  namespace: string,
  name = '',
  extra: Partial<RequestAttributes> = {},
): RequestAttributes {
  const [group, version] = resource === 'deployments' ? ['apps', 'v1'] : ['', 'v1'];
  return {
    user: { username: 'alice', uid: '', groups: ['system:authenticated'], extra: {} },
    resource: { group, version, resource },
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

const json = (o: unknown) => Buffer.from(JSON.stringify(o));
const parse = (r: ObjectResponse): Obj => JSON.parse(r.object.toString('utf8')) as Obj;

describe('registry over gRPC', () => {
  let etcd: EtcdHandle;
  let registry: RunningRegistry;
  let client: RegistryClient;

  const create = (resource: string, ns: string, obj: Obj, extra: Partial<RequestAttributes> = {}) =>
    call(client, client.create, { attributes: attrs(resource, ns, '', extra), object: json(obj) });
  const update = (
    resource: string,
    ns: string,
    name: string,
    obj: Obj,
    extra: Partial<RequestAttributes> = {},
  ) =>
    call(client, client.update, {
      attributes: attrs(resource, ns, name, extra),
      object: json(obj),
    });
  const patch = (
    resource: string,
    ns: string,
    name: string,
    type: string,
    p: unknown,
    extra: Partial<RequestAttributes> = {},
  ) =>
    call(client, client.patch, {
      attributes: attrs(resource, ns, name, extra),
      patchType: type,
      patch: json(p),
      force: false,
    });
  const del = (
    resource: string,
    ns: string,
    name: string,
    options: Obj = {},
    extra: Partial<RequestAttributes> = {},
  ) =>
    call(client, client.delete, {
      attributes: attrs(resource, ns, name, extra),
      options: json(options),
    });
  const get = async (resource: string, ns: string, name: string) => {
    const def = registry.store.scheme.resource(
      resource === 'deployments' ? 'apps' : '',
      'v1',
      resource,
    )!;
    return (await registry.store.storage.get(registry.store.key(def, ns, name)))?.obj as
      Obj | undefined;
  };
  const rejectsWith = async (
    p: Promise<unknown>,
    code: number,
    reason: string,
    message?: RegExp,
  ) => {
    await assert.rejects(p, (err: unknown) => {
      assert.ok(err instanceof StatusError, String(err));
      assert.equal(err.code, code, err.message);
      assert.equal(err.reason, reason, err.message);
      if (message) assert.match(err.message, message);
      return true;
    });
  };
  const cm = (name: string, data: Obj = {}) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name },
    data,
  });

  before(async () => {
    etcd = await startEtcd();
    registry = await startRegistry(
      {
        etcdServers: [etcd.endpoint],
        listenAddress: '127.0.0.1:0',
        etcdMaxRequestBytes: 256 * 1024,
        namespaceSyncIntervalMs: 200,
      },
      createLogger('registry-test'),
    );
    client = dial(RegistryClient, `127.0.0.1:${registry.port}`);
  });
  after(async () => {
    client?.close();
    await registry?.stop();
    await etcd?.stop();
  });

  it('creates the kubernetes service with the first IP of the service range', async () => {
    const svc = await get('services', 'default', 'kubernetes');
    assert.equal(svc?.spec?.clusterIP, '10.96.0.1');
    assert.deepEqual(svc?.spec?.clusterIPs, ['10.96.0.1']);
    assert.deepEqual(svc?.spec?.ports, [
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 },
    ]);
    assert.deepEqual(svc?.metadata?.labels, { component: 'apiserver', provider: 'kubernetes' });
  });

  it('allocates a cluster IP to a service created over gRPC', async () => {
    const out = parse(
      await create('services', 'default', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'grpc-svc' },
        spec: { ports: [{ port: 80 }] },
      }),
    );
    assert.match(out.spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
  });

  it('creates the system namespaces', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      const got = await get('namespaces', '', ns);
      assert.equal(got?.status?.phase, 'Active');
      assert.deepEqual(got?.spec?.finalizers, ['kubernetes']);
    }
  });

  it('creates with generateName, uid, timestamps; 201', async () => {
    const res = await create('configmaps', 'default', {
      metadata: { generateName: 'gen-' },
      data: { a: '1' },
    });
    assert.equal(res.code, 201);
    const obj = parse(res);
    assert.match(obj.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(obj.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(obj.metadata.resourceVersion, /^\d+$/);
    assert.equal(obj.metadata.namespace, 'default');
    assert.equal(obj.kind, 'ConfigMap');
  });

  it('AlreadyExists, namespace mismatch, wrong kind, missing and terminating namespaces', async () => {
    await create('configmaps', 'default', cm('dup'));
    await rejectsWith(
      create('configmaps', 'default', cm('dup')),
      409,
      'AlreadyExists',
      /^configmaps "dup" already exists$/,
    );
    await rejectsWith(
      create('configmaps', 'default', { ...cm('x'), metadata: { name: 'x', namespace: 'other' } }),
      400,
      'BadRequest',
      /^the namespace of the provided object does not match the namespace sent on the request$/,
    );
    await rejectsWith(
      create('configmaps', 'default', { ...cm('x'), kind: 'Secret' }),
      400,
      'BadRequest',
    );
  });

  it('invalid objects are 422 with causes', async () => {
    await rejectsWith(
      create('configmaps', 'default', cm('Bad_Name')),
      422,
      'Invalid',
      /^ConfigMap "Bad_Name" is invalid: metadata.name/,
    );
    await assert.rejects(create('configmaps', 'default', cm('Bad_Name')), (err: StatusError) => {
      assert.equal(err.status.details?.causes?.[0]?.field, 'metadata.name');
      return true;
    });
  });

  it('update: conflict on a stale resourceVersion, 404 on a missing object, no-op keeps RV', async () => {
    const created = parse(await create('configmaps', 'default', cm('upd', { a: '1' })));
    const rv = created.metadata.resourceVersion;
    const updated = parse(
      await update('configmaps', 'default', 'upd', { ...created, data: { a: '2' } }),
    );
    assert.notEqual(updated.metadata.resourceVersion, rv);
    assert.equal(updated.metadata.uid, created.metadata.uid);
    assert.equal(updated.metadata.creationTimestamp, created.metadata.creationTimestamp);
    await rejectsWith(
      update('configmaps', 'default', 'upd', { ...created, data: { a: '3' } }),
      409,
      'Conflict',
      /^Operation cannot be fulfilled on configmaps "upd": the object has been modified; please apply your changes to the latest version and try again$/,
    );
    const unconditional = parse(
      await update('configmaps', 'default', 'upd', cm('upd', { a: '4' })),
    );
    assert.equal(unconditional.data.a, '4');
    const again = parse(await update('configmaps', 'default', 'upd', cm('upd', { a: '4' })));
    assert.equal(again.metadata.resourceVersion, unconditional.metadata.resourceVersion);
    await rejectsWith(
      update('configmaps', 'default', 'missing', cm('missing')),
      404,
      'NotFound',
      /^configmaps "missing" not found$/,
    );
  });

  it('patch: merge, json and strategic merge; name changes refused', async () => {
    await create('configmaps', 'default', cm('p', { a: '1' }));
    assert.deepEqual(
      parse(
        await patch('configmaps', 'default', 'p', 'application/merge-patch+json', {
          data: { b: '2' },
        }),
      ).data,
      { a: '1', b: '2' },
    );
    assert.deepEqual(
      parse(
        await patch('configmaps', 'default', 'p', 'application/json-patch+json', [
          { op: 'remove', path: '/data/a' },
        ]),
      ).data,
      { b: '2' },
    );
    assert.deepEqual(
      parse(
        await patch('configmaps', 'default', 'p', 'application/strategic-merge-patch+json', {
          data: { c: '3' },
        }),
      ).data,
      { b: '2', c: '3' },
    );
    await rejectsWith(
      patch('configmaps', 'default', 'p', 'application/merge-patch+json', {
        metadata: { name: 'q' },
      }),
      400,
      'BadRequest',
    );
    await rejectsWith(
      patch('configmaps', 'default', 'p', 'application/apply-patch+yaml', {}),
      415,
      'UnsupportedMediaType',
    );
    await rejectsWith(
      patch('configmaps', 'default', 'nope', 'application/merge-patch+json', {}),
      404,
      'NotFound',
    );
  });

  it('status subresource isolation', async () => {
    const ns = parse(await create('namespaces', '', { metadata: { name: 'status-test' } }));
    // The main resource ignores status changes.
    const main = parse(
      await update('namespaces', '', 'status-test', {
        ...ns,
        status: { phase: 'Terminating' },
        metadata: { ...ns.metadata, labels: { x: 'y' } },
      }),
    );
    assert.equal(main.status.phase, 'Active');
    assert.equal(main.metadata.labels.x, 'y');
    // /status changes only status.
    const st = parse(
      await patch(
        'namespaces',
        '',
        'status-test',
        'application/merge-patch+json',
        {
          metadata: { labels: { z: 'w' } },
          status: { conditions: [{ type: 'Foo', status: 'True' }] },
        },
        { subresource: 'status' },
      ),
    );
    assert.equal(st.status.conditions[0].type, 'Foo');
    assert.equal(st.metadata.labels.z, undefined);
  });

  it('scale subresource reads and writes spec.replicas', async () => {
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    };
    const created = parse(await create('deployments', 'default', deploy));
    const scale = parse(
      await call(client, client.get, {
        attributes: attrs('deployments', 'default', 'web', { subresource: 'scale' }),
      }),
    );
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.apiVersion, 'autoscaling/v1');
    assert.equal(scale.spec.replicas, 1);
    assert.equal(scale.status.selector, 'app=web');
    assert.equal(scale.metadata.uid, created.metadata.uid);
    const scaled = parse(
      await update(
        'deployments',
        'default',
        'web',
        { ...scale, spec: { replicas: 3 } },
        { subresource: 'scale' },
      ),
    );
    assert.equal(scaled.spec.replicas, 3);
    const parent = await get('deployments', 'default', 'web');
    assert.equal(parent!.spec.replicas, 3);
    assert.equal(parent!.metadata.generation, 2);
    const patched = parse(
      await patch(
        'deployments',
        'default',
        'web',
        'application/merge-patch+json',
        { spec: { replicas: 5 } },
        { subresource: 'scale' },
      ),
    );
    assert.equal(patched.spec.replicas, 5);
    await rejectsWith(
      update(
        'deployments',
        'default',
        'web',
        { ...scale, spec: { replicas: 7 } },
        { subresource: 'scale' },
      ),
      409,
      'Conflict',
    );
    await rejectsWith(
      patch(
        'deployments',
        'default',
        'web',
        'application/merge-patch+json',
        { spec: { replicas: -1 } },
        { subresource: 'scale' },
      ),
      422,
      'Invalid',
    );
  });

  it('finalizers hold a deleted object until the last one is removed', async () => {
    await create('configmaps', 'default', {
      ...cm('fin'),
      metadata: { name: 'fin', finalizers: ['example.com/hold'] },
    });
    const res = await del('configmaps', 'default', 'fin');
    assert.equal(res.code, 200);
    const held = parse(res);
    assert.ok(held.metadata.deletionTimestamp);
    assert.equal(held.metadata.deletionGracePeriodSeconds, 0);
    assert.ok(await get('configmaps', 'default', 'fin'));
    await patch('configmaps', 'default', 'fin', 'application/merge-patch+json', {
      metadata: { finalizers: null },
    });
    assert.equal(await get('configmaps', 'default', 'fin'), undefined);
  });

  it('immediate delete answers a Status; preconditions and propagationPolicy are checked', async () => {
    const created = parse(await create('configmaps', 'default', cm('gone')));
    await rejectsWith(
      del('configmaps', 'default', 'gone', { preconditions: { uid: 'nope' } }),
      409,
      'Conflict',
      /Precondition failed: UID in precondition: nope/,
    );
    await rejectsWith(
      del('configmaps', 'default', 'gone', { propagationPolicy: 'Sideways' }),
      422,
      'Invalid',
      /propagationPolicy: Unsupported value: "Sideways"/,
    );
    const status = parse(
      await del('configmaps', 'default', 'gone', { propagationPolicy: 'Background' }),
    );
    assert.equal(status.kind, 'Status');
    assert.equal(status.status, 'Success');
    assert.deepEqual(status.details, {
      name: 'gone',
      group: '',
      kind: 'configmaps',
      uid: created.metadata.uid,
    });
    await rejectsWith(del('configmaps', 'default', 'gone'), 404, 'NotFound');
  });

  it('pods: unbound delete immediately, bound ones gracefully, grace 0 removes them', async () => {
    const pod = (name: string, nodeName?: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] },
    });
    await create('pods', 'default', pod('unbound'));
    const gone = parse(await del('pods', 'default', 'unbound'));
    assert.equal(gone.kind, 'Pod');
    assert.equal(await get('pods', 'default', 'unbound'), undefined);
    await create('pods', 'default', pod('bound', 'node-1'));
    const terminating = parse(await del('pods', 'default', 'bound'));
    assert.equal(terminating.metadata.deletionGracePeriodSeconds, 30);
    assert.ok(await get('pods', 'default', 'bound'));
    await del('pods', 'default', 'bound', { gracePeriodSeconds: 0 });
    assert.equal(await get('pods', 'default', 'bound'), undefined);
  });

  it('deletecollection by label selector', async () => {
    await create('configmaps', 'default', {
      ...cm('l1'),
      metadata: { name: 'l1', labels: { sweep: 'yes' } },
    });
    await create('configmaps', 'default', {
      ...cm('l2'),
      metadata: { name: 'l2', labels: { sweep: 'yes' } },
    });
    await create('configmaps', 'default', {
      ...cm('l3'),
      metadata: { name: 'l3', labels: { sweep: 'no' } },
    });
    const res = await call(client, client.deleteCollection, {
      attributes: attrs('configmaps', 'default'),
      options: Buffer.alloc(0),
      listOptions: {
        labelSelector: 'sweep=yes',
        fieldSelector: '',
        resourceVersion: '',
        resourceVersionMatch: '',
        limit: '0',
        continue: '',
        allowWatchBookmarks: false,
        timeoutSeconds: '0',
      },
    });
    assert.deepEqual(res.items.map((b) => (JSON.parse(b.toString()) as Obj).metadata.name).sort(), [
      'l1',
      'l2',
    ]);
    assert.equal(await get('configmaps', 'default', 'l1'), undefined);
    assert.ok(await get('configmaps', 'default', 'l3'));
  });

  it('dryRun writes nothing', async () => {
    const before = await registry.store.storage.currentRevision();
    const res = parse(await create('configmaps', 'default', cm('dry'), { dryRun: true }));
    assert.equal(res.metadata.name, 'dry');
    assert.ok(res.metadata.uid);
    await create('configmaps', 'default', cm('dry2'));
    const mid = await registry.store.storage.currentRevision();
    await update('configmaps', 'default', 'dry2', cm('dry2', { x: 'y' }), { dryRun: true });
    await del('configmaps', 'default', 'dry2', {}, { dryRun: true });
    assert.equal(await registry.store.storage.currentRevision(), mid);
    assert.notEqual(before, mid);
    assert.equal(await get('configmaps', 'default', 'dry'), undefined);
    assert.deepEqual((await get('configmaps', 'default', 'dry2'))!.data, {});
  });

  it('fieldValidation: Strict refuses unknown fields, Warn warns and drops them', async () => {
    await rejectsWith(
      create('configmaps', 'default', { ...cm('strict'), foo: 1 }, { fieldValidation: 'Strict' }),
      400,
      'BadRequest',
      /^strict decoding error: unknown field "foo"$/,
    );
    const res = await create('configmaps', 'default', { ...cm('warn'), foo: 1 });
    assert.deepEqual(res.warnings, ['unknown field "foo"']);
    assert.equal(parse(res).foo, undefined);
  });

  it('an oversized object is a 413', async () => {
    await rejectsWith(
      create('configmaps', 'default', cm('big', { blob: 'x'.repeat(300 * 1024) })),
      413,
      'RequestEntityTooLarge',
    );
  });

  it('system namespaces cannot be deleted', async () => {
    await rejectsWith(
      del('namespaces', '', 'default'),
      403,
      'Forbidden',
      /^namespaces "default" is forbidden: this namespace may not be deleted$/,
    );
  });

  it('deleting a namespace empties it and then removes it', async () => {
    await create('namespaces', '', { metadata: { name: 'doomed' } });
    await create('configmaps', 'doomed', cm('c1'));
    await create('pods', 'doomed', {
      metadata: { name: 'p1' },
      spec: { nodeName: 'n', containers: [{ name: 'c', image: 'x' }] },
    });
    const res = parse(await del('namespaces', '', 'doomed'));
    assert.equal(res.status.phase, 'Terminating');
    assert.ok(res.metadata.deletionTimestamp);
    const deadline = Date.now() + 10_000;
    while ((await get('namespaces', '', 'doomed')) && Date.now() < deadline) await sleep(100);
    assert.equal(await get('namespaces', '', 'doomed'), undefined);
    assert.equal(await get('configmaps', 'doomed', 'c1'), undefined);
    assert.equal(await get('pods', 'doomed', 'p1'), undefined);
  });
});
