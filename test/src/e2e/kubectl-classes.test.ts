// PriorityClass, StorageClass, IngressClass and RuntimeClass through the real kubectl:
// create, the table columns kube prints, kube's 422 for invalid ones, delete; the system
// PriorityClasses the plane creates at start; api-resources with short names.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, startPlane, type Plane } from './plane.js';

const VALID = `
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
description: important workloads
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec:
  controller: k8s.io/ingress-nginx
  parameters: {apiGroup: k8s.example.com, kind: IngressParameters, name: external}
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: gvisor}
handler: runsc
`;

const INVALID: Array<[string, string, RegExp]> = [
  [
    'priorityclass',
    'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: too-high}\nvalue: 1000000001\n',
    /The PriorityClass "too-high" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000/,
  ],
  [
    'storageclass',
    'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: nothing}\nreclaimPolicy: Recycle\n',
    /The StorageClass "nothing" is invalid: \n\* provisioner: Required value\n\* reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"/,
  ],
  [
    'ingressclass',
    'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: bare}\nspec: {controller: nginx}\n',
    /The IngressClass "bare" is invalid: spec.controller: Invalid value: "nginx": must be a domain-prefixed path \(such as "acme.io\/foo"\)/,
  ],
  [
    'runtimeclass',
    'apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: upper}\nhandler: Run_SC\n',
    /The RuntimeClass "upper" is invalid: handler: Invalid value: "Run_SC": a lowercase RFC 1123 label must consist of/,
  ],
];

describe('kubectl and the class kinds', { timeout: 600_000 }, () => {
  let plane: Plane;
  const k = (...args: string[]) => ok(plane.kubectl(args));
  const rows = (out: string) =>
    out
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s{2,}/));

  before(async () => {
    plane = await startPlane();
  });
  after(async () => {
    await plane?.stop();
  });

  it('the plane starts with the system priority classes', async () => {
    const out = await k('get', 'pc');
    const table = rows(out);
    assert.deepEqual(table[0], ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
    const byName = new Map(table.slice(1).map((r) => [r[0], r]));
    assert.deepEqual(
      [byName.get('system-cluster-critical')![1], byName.get('system-cluster-critical')![2]],
      ['2000000000', 'false'],
    );
    assert.deepEqual(
      [byName.get('system-node-critical')![1], byName.get('system-node-critical')![4]],
      ['2000001000', 'PreemptLowerPriority'],
    );
    const denied = await plane.kubectl(['delete', 'pc', 'system-node-critical']);
    assert.notEqual(denied.code, 0);
    assert.match(
      denied.stderr,
      /priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted/,
    );
  });

  it('serves them as Kubernetes protobuf', async () => {
    const res = await plane.request(
      'GET',
      '/apis/scheduling.k8s.io/v1/priorityclasses/system-cluster-critical',
      { headers: { accept: 'application/vnd.kubernetes.protobuf' } },
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/vnd.kubernetes.protobuf');
    assert.ok(res.body.startsWith('k8s\u0000'));
    assert.ok(res.body.includes('scheduling.k8s.io/v1') && res.body.includes('PriorityClass'));
    assert.ok(res.body.includes('system-cluster-critical'));
  });

  it('api-resources lists them, cluster-scoped, with kube short names', async () => {
    const out = await k('api-resources');
    assert.match(out, /^priorityclasses\s+pc\s+scheduling.k8s.io\/v1\s+false\s+PriorityClass$/m);
    assert.match(out, /^storageclasses\s+sc\s+storage.k8s.io\/v1\s+false\s+StorageClass$/m);
    assert.match(out, /^ingressclasses\s+networking.k8s.io\/v1\s+false\s+IngressClass$/m);
    assert.match(out, /^runtimeclasses\s+node.k8s.io\/v1\s+false\s+RuntimeClass$/m);
  });

  it('OpenAPI describes them: kubectl explain and the /openapi/v2 paths', async () => {
    assert.match(
      await k('explain', 'priorityclass.preemptionPolicy'),
      /FIELD: preemptionPolicy <string>/,
    );
    assert.match(await k('explain', 'storageclass.provisioner'), /FIELD: provisioner <string>/);
    assert.match(await k('explain', 'ingressclass.spec.controller'), /FIELD: controller <string>/);
    assert.match(await k('explain', 'runtimeclass.handler'), /FIELD: handler <string>/);
    const v2 = await plane.request('GET', '/openapi/v2', {
      headers: { accept: 'application/json' },
    });
    const paths = Object.keys(v2.json<{ paths: Record<string, unknown> }>().paths);
    for (const p of [
      '/apis/scheduling.k8s.io/v1/priorityclasses/{name}',
      '/apis/storage.k8s.io/v1/storageclasses/{name}',
      '/apis/networking.k8s.io/v1/ingressclasses/{name}',
      '/apis/node.k8s.io/v1/runtimeclasses/{name}',
    ]) {
      assert.ok(paths.includes(p), p);
    }
  });

  it('creates each kind, prints kube columns, deletes them', async () => {
    const created = await ok(plane.kubectl(['create', '-f', '-'], VALID));
    assert.match(created, /priorityclass.scheduling.k8s.io\/high created/);
    assert.match(created, /storageclass.storage.k8s.io\/local created/);
    assert.match(created, /ingressclass.networking.k8s.io\/nginx created/);
    assert.match(created, /runtimeclass.node.k8s.io\/gvisor created/);

    const pc = rows(await k('get', 'pc', 'high'));
    assert.deepEqual(
      [pc[1]![0], pc[1]![1], pc[1]![2], pc[1]![4]],
      ['high', '1000', 'false', 'PreemptLowerPriority'],
    );
    const sc = rows(await k('get', 'sc'));
    assert.deepEqual(sc[0], [
      'NAME',
      'PROVISIONER',
      'RECLAIMPOLICY',
      'VOLUMEBINDINGMODE',
      'ALLOWVOLUMEEXPANSION',
      'AGE',
    ]);
    assert.deepEqual(sc[1]!.slice(0, 5), [
      'local (default)',
      'rancher.io/local-path',
      'Delete',
      'WaitForFirstConsumer',
      'false',
    ]);
    const ic = rows(await k('get', 'ingressclasses'));
    assert.deepEqual(ic[0], ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE']);
    assert.deepEqual(ic[1]!.slice(0, 3), [
      'nginx',
      'k8s.io/ingress-nginx',
      'IngressParameters.k8s.example.com/external',
    ]);
    const stored = JSON.parse(await k('get', 'ingressclass', 'nginx', '-o', 'json'));
    assert.equal(stored.spec.parameters.scope, 'Cluster');
    const rc = rows(await k('get', 'runtimeclasses'));
    assert.deepEqual(rc[0], ['NAME', 'HANDLER', 'AGE']);
    assert.deepEqual(rc[1]!.slice(0, 2), ['gvisor', 'runsc']);

    const deleted = await k(
      'delete',
      'pc/high',
      'sc/local',
      'ingressclass/nginx',
      'runtimeclass/gvisor',
    );
    assert.match(deleted, /priorityclass.scheduling.k8s.io "high" deleted/);
    assert.match(deleted, /runtimeclass.node.k8s.io "gvisor" deleted/);
    const none = await plane.kubectl(['get', 'sc', 'local']);
    assert.match(none.stderr, /storageclasses.storage.k8s.io "local" not found/);
  });

  it('rejects an invalid object of each kind with kube’s 422', async () => {
    for (const [kind, yaml, message] of INVALID) {
      const res = await plane.kubectl(['create', '-f', '-'], yaml);
      assert.notEqual(res.code, 0, kind);
      assert.match(res.stderr, message, kind);
    }
    const raw = await plane.request('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', {
      body: JSON.stringify({
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'system-mine' },
        value: 5,
      }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(raw.status, 422);
    const status = raw.json();
    assert.equal(status.reason, 'Invalid');
    assert.equal(
      status.message,
      `PriorityClass.scheduling.k8s.io "system-mine" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class`,
    );
    assert.deepEqual(status.details, {
      name: 'system-mine',
      group: 'scheduling.k8s.io',
      kind: 'PriorityClass',
      causes: [
        {
          reason: 'FieldValueForbidden',
          message:
            "Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
          field: 'metadata.name',
        },
      ],
    });
  });
});
