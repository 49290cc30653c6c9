// Bootstrap policy and ClusterRole aggregation against the real write and watch paths:
// etcd, nats-server, the registry (in-process) and a watch-cache replica (its binary).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  connectNats,
  createLogger,
  dial,
  freePorts,
  HealthChecker,
  type NatsConnection,
} from '@splitplane/kit';
import { RegistryClient, WatchCacheClient } from '@splitplane/proto';
import { startRegistry, type RunningRegistry } from '@splitplane/registry';
import {
  spawnManaged,
  startEtcd,
  startNats,
  waitFor,
  type EtcdHandle,
  type ManagedProcess,
  type NatsHandle,
} from '@splitplane/testing';
import { aggregatedRules, type ClusterRoleLike } from '../aggregation/aggregate.js';
import {
  BOOTSTRAP_CLUSTER_ROLE_BINDINGS,
  BOOTSTRAP_ROLE_BINDINGS,
  BOOTSTRAP_ROLES,
} from './bindings.js';
import { BOOTSTRAP_CLUSTER_ROLES } from './cluster-roles.js';
import { GrpcPolicyClient, type ObjectRef } from './policy-client.js';
import { startPolicyControllers, type RunningPolicyControllers } from './policy-controllers.js';
import { AUTOUPDATE_ANNOTATION, type RbacObject } from './reconcile.js';
import { resourceRule, ruleKey, type PolicyRule } from './rules.js';

const WATCH_CACHE_MAIN = fileURLToPath(
  new URL('./main.js', import.meta.resolve('@splitplane/watch-cache')),
);

const log = createLogger('authz-test');
log.level = 'error';

let etcd: EtcdHandle;
let nats: NatsHandle;
let watchCacheProcess: ManagedProcess;
let registry: RunningRegistry | undefined;
let nc: NatsConnection;
let watchCache: WatchCacheClient;
let registryClient: RegistryClient;
let client: GrpcPolicyClient;
let registryAddress: string;
let first: RunningPolicyControllers;

const clusterRole = (name: string): ObjectRef => ({ resource: 'clusterroles', name });
const get = async (ref: ObjectRef) => {
  const obj = await client.get(ref);
  assert.ok(obj, `${ref.resource}/${ref.name} exists`);
  return obj;
};
const keys = (rules: readonly PolicyRule[] | null | undefined) =>
  new Set((rules ?? []).map(ruleKey));

before(async () => {
  assert.ok(existsSync(WATCH_CACHE_MAIN), `build services/watch-cache first (${WATCH_CACHE_MAIN})`);
  [etcd, nats] = await Promise.all([
    startEtcd({ progressNotifyIntervalMs: 1_000 }),
    startNats({ jetstream: false }),
  ]);
  const [watchCachePort, registryPort] = await freePorts(2);
  const watchCacheAddress = `127.0.0.1:${watchCachePort}`;
  registryAddress = `127.0.0.1:${registryPort}`;
  const health = new HealthChecker(watchCacheAddress);
  try {
    watchCacheProcess = await spawnManaged(
      process.execPath,
      [
        WATCH_CACHE_MAIN,
        `--listen-address=${watchCacheAddress}`,
        `--etcd-servers=${etcd.endpoint}`,
        `--nats-servers=${nats.url}`,
      ],
      {
        name: 'watch-cache',
        readyCheck: () => health.check('splitplane.v1.WatchCache'),
        readyTimeoutMs: 30_000,
      },
    );
  } finally {
    health.close();
  }
  nc = await connectNats({ servers: [nats.url], name: 'authz-test' });
  watchCache = dial(WatchCacheClient, watchCacheAddress);
  registryClient = dial(RegistryClient, registryAddress);
  client = new GrpcPolicyClient(registryClient, watchCache);
});

after(async () => {
  await first?.stop();
  registryClient?.close();
  watchCache?.close();
  await nc?.close();
  await registry?.stop();
  await watchCacheProcess?.stop();
  await Promise.all([etcd?.stop(), nats?.stop()]);
});

describe('bootstrap policy and aggregation', () => {
  it('waits for the registry, then creates the default policy', async () => {
    // Started before the registry listens: the bootstrap retries until it answers.
    const starting = startPolicyControllers({
      registryAddress,
      watchCache,
      nats: nc,
      log,
      retryMaxMs: 500,
    });
    registry = await startRegistry(
      { etcdServers: [etcd.endpoint], listenAddress: registryAddress },
      log,
    );
    first = await starting;
    for (const role of BOOTSTRAP_CLUSTER_ROLES) {
      const obj = await get(clusterRole(role.name));
      assert.equal(obj.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults');
      assert.equal(obj.metadata.annotations?.[AUTOUPDATE_ANNOTATION], 'true');
      if (!role.aggregationRule) assert.deepEqual(keys(obj.rules), keys(role.rules), role.name);
    }
    for (const b of BOOTSTRAP_CLUSTER_ROLE_BINDINGS) {
      const obj = await get({ resource: 'clusterrolebindings', name: b.name });
      assert.deepEqual(obj.subjects, b.subjects);
    }
    for (const r of BOOTSTRAP_ROLES) {
      await get({ resource: 'roles', namespace: r.namespace, name: r.name });
    }
    for (const b of BOOTSTRAP_ROLE_BINDINGS) {
      const obj = await get({ resource: 'rolebindings', namespace: b.namespace!, name: b.name });
      assert.deepEqual(obj.roleRef, b.roleRef);
    }
    const masters = await get({ resource: 'clusterrolebindings', name: 'cluster-admin' });
    assert.deepEqual(masters.roleRef, {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'cluster-admin',
    });
    assert.ok([...first.bootstrap.operations.values()].every((op) => op === 'create'));
  });

  it('fills admin, edit and view with their aggregated rules', async () => {
    await waitFor(
      async () => {
        const all = await Promise.all(
          BOOTSTRAP_CLUSTER_ROLES.map((r) => client.get(clusterRole(r.name))),
        );
        const roles = all.filter((r): r is RbacObject => !!r) as ClusterRoleLike[];
        return ['admin', 'edit', 'view'].every((name) => {
          const role = roles.find((r) => r.metadata?.name === name)!;
          const want = aggregatedRules(role, roles);
          return want.length > 0 && [...keys(want)].join() === [...keys(role.rules)].join();
        });
      },
      { timeoutMs: 30_000, intervalMs: 200, message: 'admin, edit and view aggregated' },
    );
    const admin = await get(clusterRole('admin'));
    const adminKeys = keys(admin.rules);
    // admin ⊇ edit ⊇ view: one rule of each source role.
    for (const rule of [
      resourceRule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
      resourceRule(['impersonate'], [''], ['serviceaccounts']),
      resourceRule(['get', 'list', 'watch'], [''], ['namespaces']),
    ]) {
      assert.ok(adminKeys.has(ruleKey(rule)), ruleKey(rule));
    }
  });

  it('adds and removes the rules of a role labelled aggregate-to-view', async () => {
    const widgets = resourceRule(['get', 'list', 'watch'], ['example.com'], ['widgets']);
    await client.create(clusterRole('widget-viewer'), {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'widget-viewer',
        labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
      },
      rules: [widgets],
    });
    for (const name of ['view', 'edit', 'admin']) {
      await waitFor(async () => keys((await get(clusterRole(name))).rules).has(ruleKey(widgets)), {
        timeoutMs: 30_000,
        message: `${name} has the widgets rule`,
      });
    }
    const labelled = await get(clusterRole('widget-viewer'));
    labelled.metadata.labels = {};
    await client.update(clusterRole('widget-viewer'), labelled);
    await waitFor(async () => !keys((await get(clusterRole('view'))).rules).has(ruleKey(widgets)), {
      timeoutMs: 30_000,
      message: 'view lost the widgets rule',
    });
  });

  it('a second run changes nothing, restores what is missing and spares protected objects', async () => {
    const basic = await get(clusterRole('system:basic-user'));
    const extra = resourceRule(['get'], [''], ['pods']);
    basic.rules = [extra];
    await client.update(clusterRole('system:basic-user'), basic);
    const discovery = await get(clusterRole('system:discovery'));
    discovery.metadata.annotations = { [AUTOUPDATE_ANNOTATION]: 'false' };
    discovery.rules = [];
    await client.update(clusterRole('system:discovery'), discovery);
    const binding = await get({ resource: 'clusterrolebindings', name: 'system:basic-user' });
    binding.subjects = [];
    await client.update({ resource: 'clusterrolebindings', name: 'system:basic-user' }, binding);

    const second = await startPolicyControllers({ registryAddress, watchCache, nats: nc, log });
    try {
      const ops = second.bootstrap.operations;
      assert.equal(ops.get('clusterroles/system:basic-user'), 'update');
      assert.equal(ops.get('clusterrolebindings/system:basic-user'), 'update');
      assert.equal(ops.get('clusterroles/system:discovery'), 'protected');
      const changed = [...ops].filter(([, op]) => op !== 'none').map(([k]) => k);
      assert.deepEqual(changed.sort(), [
        'clusterrolebindings/system:basic-user',
        'clusterroles/system:basic-user',
        'clusterroles/system:discovery',
      ]);
      const restored = await get(clusterRole('system:basic-user'));
      assert.ok(keys(restored.rules).has(ruleKey(extra)), 'extra rules are kept');
      assert.equal(restored.rules!.length, 4);
      assert.deepEqual((await get(clusterRole('system:discovery'))).rules ?? [], []);
      // Two aggregation controllers now run: both converge on the same rules.
      const gadgets = resourceRule(['get'], ['example.com'], ['gadgets']);
      await client.create(clusterRole('gadget-viewer'), {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: {
          name: 'gadget-viewer',
          labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
        },
        rules: [gadgets],
      });
      await waitFor(
        async () => keys((await get(clusterRole('admin'))).rules).has(ruleKey(gadgets)),
        {
          timeoutMs: 30_000,
          message: 'admin has the gadgets rule',
        },
      );
      await Promise.all([first.aggregation.idle(), second.aggregation.idle()]);
    } finally {
      await second.stop();
    }
  });
});
