// Admission's quota charging against a real registry and etcd: replicas whose views of the
// quota lag (as informers do) race on one quota; the registry's status update is a
// compare-and-swap on resourceVersion, so exactly the quota is admitted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import {
  QuotaBatcher,
  evaluatorFor,
  writeQuotaStatus,
  type AdmissionAttributes,
  type QuotaAccessor,
} from '@splitplane/admission/quota';
import { call, createLogger, dial } from '@splitplane/kit';
import { RegistryClient } from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import { startEtcd, waitFor, type EtcdHandle } from '@splitplane/testing';
import { startRegistry, type RunningRegistry } from '../registry.js';

const NS = 'default';

function podAttrs(name: string): AdmissionAttributes {
  return {
    uid: name,
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    subresource: '',
    name,
    namespace: NS,
    operation: 'CREATE',
    user: { username: 'alice', uid: '', groups: [], extra: {} },
    object: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: NS },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    },
    oldObject: undefined,
    dryRun: false,
    options: undefined,
  };
}

describe('quota charging through the registry', () => {
  let etcd: EtcdHandle;
  let registry: RunningRegistry;
  let client: RegistryClient;
  let conflicts = 0;

  const readQuota = async (name: string) => {
    const def = registry.store.scheme.resource('', 'v1', 'resourcequotas')!;
    return (await registry.store.storage.get(registry.store.key(def, NS, name)))?.obj;
  };

  /** An admission replica whose quota view is a snapshot, refreshed only by its own writes and live reads. */
  const replica = (snapshot: KubeObject): QuotaAccessor => {
    let view = structuredClone(snapshot);
    return {
      quotas: async () => [view],
      live: async (_ns, name) => {
        const q = await readQuota(name);
        if (q) view = structuredClone(q);
        return q;
      },
      updateStatus: async (q, deadline) => {
        const stored = await writeQuotaStatus(client, q, deadline).catch((err: unknown) => {
          if (err instanceof StatusError && err.code === 409) conflicts++;
          throw err;
        });
        view = structuredClone(stored);
        return stored;
      },
    };
  };

  before(async () => {
    etcd = await startEtcd();
    registry = await startRegistry(
      { etcdServers: [etcd.endpoint], listenAddress: '127.0.0.1:0' },
      createLogger('admission-cas-test'),
    );
    client = dial(RegistryClient, `127.0.0.1:${registry.port}`);
    await call(client, client.create, {
      attributes: {
        user: { username: 'alice', uid: '', groups: [], extra: {} },
        resource: { group: '', version: 'v1', resource: 'resourcequotas' },
        namespace: NS,
        name: '',
        subresource: '',
        dryRun: false,
        fieldManager: '',
        fieldValidation: '',
        auditId: '',
      },
      object: Buffer.from(
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'pods' },
          spec: { hard: { pods: '10' } },
        }),
      ),
    });
    const usedPods = async () =>
      ((await readQuota('pods'))?.status as { used?: Record<string, string> } | undefined)?.used
        ?.pods;
    await waitFor(async () => (await usedPods()) === '0', {
      timeoutMs: 20_000,
    });
  });
  after(async () => {
    client?.close();
    await registry?.stop();
    await etcd?.stop();
  });

  it('refuses a status write from a stale resourceVersion with 409', async () => {
    const q = (await readQuota('pods'))!;
    const stale = structuredClone(q);
    stale.metadata!.resourceVersion = String(BigInt(q.metadata!.resourceVersion!) - 1n);
    await assert.rejects(writeQuotaStatus(client, stale, new Date(Date.now() + 10_000)), (err) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.code, 409);
      return true;
    });
  });

  it('admits exactly the quota across three racing replicas', async () => {
    const snapshot = (await readQuota('pods'))!;
    const replicas = [0, 1, 2].map(() => new QuotaBatcher(replica(snapshot)));
    const pods = evaluatorFor('', 'pods');
    const results = await Promise.allSettled(
      Array.from({ length: 45 }, (_, i) => replicas[i % 3]!.evaluate(podAttrs(`p${i}`), pods)),
    );
    const admitted = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    assert.equal(admitted, 10);
    assert.equal(refused.length, 35);
    for (const err of refused) {
      assert.ok(err instanceof StatusError);
      assert.equal(err.code, 403, err.message);
      assert.match(
        err.message,
        /exceeded quota: pods, requested: pods=1, used: pods=10, limited: pods=10$/,
      );
    }
    assert.deepEqual((await readQuota('pods'))?.status, {
      hard: { pods: '10' },
      used: { pods: '10' },
    });
    assert.ok(conflicts > 0, 'the replicas lost races and recovered');
  });
});
