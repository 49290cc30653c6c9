// A real third-party client: @kubernetes/client-node's informer watches every ConfigMap
// while eight writers make thousands of creates, updates and deletes across three
// namespaces through both gateways. Its cache must end equal to a fresh LIST.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { waitFor } from '@splitplane/testing';
import { ok, startPlane, type Plane } from './plane.js';

const NAMESPACES = ['informer-a', 'informer-b', 'informer-c'];
const WRITERS = 8;
/** Names each writer owns per namespace: writers never race on one object. */
const NAMES_PER_WRITER = 8;
const CHANGES_PER_WRITER = 300;

interface ListedConfigMaps {
  metadata: { resourceVersion: string };
  items: V1ConfigMap[];
}

const keyOf = (cm: V1ConfigMap) => `${cm.metadata?.namespace}/${cm.metadata?.name}`;
const byKey = (items: readonly V1ConfigMap[]) =>
  new Map(items.map((cm) => [keyOf(cm), cm.metadata?.resourceVersion]));
const sorted = (m: Map<string, string | undefined>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

/** A small deterministic PRNG, so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('@kubernetes/client-node informer', { timeout: 600_000 }, () => {
  let plane: Plane;

  before(async () => {
    plane = await startPlane({ watchCacheReplicas: 2, gatewayReplicas: 2 });
    for (const ns of NAMESPACES) await ok(plane.kubectl(['create', 'namespace', ns]));
  });
  after(async () => {
    await plane?.stop();
  });

  it('stays in sync over thousands of changes and ends equal to a fresh LIST', async (t) => {
    const kc = new KubeConfig();
    kc.loadFromFile(plane.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    let lists = 0;
    const informer = makeInformer<V1ConfigMap>(kc, '/api/v1/configmaps', () => {
      lists++;
      return core.listConfigMapForAllNamespaces();
    });
    // Every event the informer delivered, per object, in delivery order.
    const seen = new Map<string, string[]>();
    const record = (cm: V1ConfigMap) => {
      const rvs = seen.get(keyOf(cm)) ?? [];
      rvs.push(cm.metadata?.resourceVersion ?? '');
      seen.set(keyOf(cm), rvs);
    };
    informer.on('add', record);
    informer.on('update', record);
    informer.on('delete', record);
    // client-node stops on any error but 410; a real controller restarts it, as here.
    const errors: unknown[] = [];
    let stopped = false;
    informer.on('error', (err) => {
      errors.push(err);
      if (!stopped) setTimeout(() => void informer.start(), 200);
    });
    await informer.start();

    const seed = Date.now() % 1_000_000;
    const writeRvs = new Map<string, string[]>();
    const failures: string[] = [];
    let changes = 0;
    const writer = async (w: number) => {
      const rand = random(seed * 31 + w);
      const exists = new Set<string>();
      for (let i = 0; i < CHANGES_PER_WRITER; i++) {
        const ns = NAMESPACES[Math.floor(rand() * NAMESPACES.length)]!;
        const name = `w${w}-${Math.floor(rand() * NAMES_PER_WRITER)}`;
        const key = `${ns}/${name}`;
        const gateway = Math.floor(rand() * plane.gateways.length);
        const path = `/api/v1/namespaces/${ns}/configmaps`;
        let method: string;
        let url: string;
        let body: string | undefined;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (!exists.has(key)) {
          method = 'POST';
          url = path;
          body = JSON.stringify({
            metadata: { name, labels: { writer: `w${w}` } },
            data: { n: '0' },
          });
        } else if (rand() < 0.7) {
          method = 'PATCH';
          url = `${path}/${name}`;
          headers['content-type'] = 'application/merge-patch+json';
          body = JSON.stringify({ data: { n: String(i), [`k${i % 5}`]: 'x'.repeat(i % 50) } });
        } else {
          method = 'DELETE';
          url = `${path}/${name}`;
          body = undefined;
        }
        const res = await plane.request(method, url, {
          gateway,
          headers,
          ...(body === undefined ? {} : { body }),
        });
        if (res.status !== 200 && res.status !== 201) {
          failures.push(`${method} ${key} via gateway ${gateway}: ${res.status} ${res.body}`);
          continue;
        }
        changes++;
        if (method === 'DELETE') {
          exists.delete(key);
        } else {
          exists.add(key);
          const rvs = writeRvs.get(key) ?? [];
          rvs.push(res.json<V1ConfigMap>().metadata!.resourceVersion!);
          writeRvs.set(key, rvs);
        }
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    const events = [...seen.values()].reduce((n, rvs) => n + rvs.length, 0);
    t.diagnostic(
      `${changes} changes in ${Date.now() - started} ms (seed ${seed}); informer so far: ${events} events, ${lists} list(s)`,
    );
    assert.deepEqual(failures, [], `every write succeeds (seed ${seed})`);
    assert.ok(changes >= 2000, `${changes} changes`);

    try {
      const fresh = async () => {
        const res = await plane.request('GET', '/api/v1/configmaps');
        assert.equal(res.status, 200, res.body);
        return byKey(res.json<ListedConfigMaps>().items);
      };
      // The informer trails the writes by however long the last events take to arrive.
      await waitFor(
        async () =>
          JSON.stringify(sorted(byKey(informer.list()))) === JSON.stringify(sorted(await fresh())),
        { timeoutMs: 60_000, message: 'the informer cache to equal a fresh LIST' },
      ).catch(() => undefined);
      assert.deepEqual(sorted(byKey(informer.list())), sorted(await fresh()), `seed ${seed}`);

      // Each object's events arrived in resourceVersion order, with no repeats.
      for (const [key, rvs] of seen) {
        const numbers = rvs.map(BigInt);
        for (let i = 1; i < numbers.length; i++) {
          assert.ok(numbers[i]! > numbers[i - 1]!, `${key}: events out of order: ${rvs.join(',')}`);
        }
      }
      // With one list and a watch that never broke for good, every write was delivered.
      if (lists === 1) {
        for (const [key, rvs] of writeRvs) {
          const delivered = new Set(seen.get(key));
          const missing = rvs.filter((rv) => !delivered.has(rv));
          assert.deepEqual(missing, [], `${key}: writes the informer never delivered`);
        }
      }
      assert.deepEqual(errors, [], 'the informer saw no error');
    } finally {
      stopped = true;
      await informer.stop();
    }
  });
});
