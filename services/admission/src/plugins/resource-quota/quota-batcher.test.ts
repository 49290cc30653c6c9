import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newConflict, OBJECT_MODIFIED, StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { evaluatorFor } from './evaluators/registry.js';
import type { QuotaAccessor } from './quota-accessor.js';
import { QuotaBatcher } from './quota-batcher.js';
import { attrs, pod, quota } from './test-helpers.js';

/** Quotas held as the registry holds them: status writes compare-and-swap on resourceVersion. */
class CasQuotaStore {
  readonly quotas = new Map<string, KubeObject>();
  writes = 0;
  conflicts = 0;
  #rv = 100;

  put(q: KubeObject): void {
    q.metadata!.resourceVersion = String(++this.#rv);
    this.quotas.set(q.metadata!.name!, q);
  }

  /** An accessor whose local view lags the store (as an informer does) until it reads live. */
  accessor(delayMs = 0): QuotaAccessor & { view: Map<string, KubeObject> } {
    const view = new Map<string, KubeObject>(
      [...this.quotas].map(([k, v]) => [k, structuredClone(v)]),
    );
    return {
      view,
      quotas: async () => [...view.values()],
      live: async (_ns, name) => {
        const q = this.quotas.get(name);
        if (q) view.set(name, structuredClone(q));
        return q && structuredClone(q);
      },
      updateStatus: async (q) => {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        const name = q.metadata!.name!;
        const cur = this.quotas.get(name);
        if (!cur || cur.metadata!.resourceVersion !== q.metadata!.resourceVersion) {
          this.conflicts++;
          throw newConflict({ group: '', resource: 'resourcequotas' }, name, OBJECT_MODIFIED);
        }
        this.writes++;
        const next = structuredClone(q);
        this.put(next);
        view.set(name, structuredClone(next));
        return structuredClone(next);
      },
    };
  }
}

const pods = evaluatorFor('', 'pods');

async function burst(batchers: QuotaBatcher[], n: number, dryRun = false) {
  const results = await Promise.allSettled(
    Array.from({ length: n }, (_, i) =>
      batchers[i % batchers.length]!.evaluate(attrs(pod(`p${i}`), { dryRun }), pods),
    ),
  );
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  const refused = results.flatMap((r) =>
    r.status === 'rejected' ? [r.reason as StatusError] : [],
  );
  return { ok, refused };
}

describe('QuotaBatcher', () => {
  it('admits exactly the quota out of 100 parallel creates, in few status writes', async () => {
    const store = new CasQuotaStore();
    store.put(quota('pods', { pods: '10' }, { pods: '0' }));
    const batcher = new QuotaBatcher(store.accessor(2));
    const { ok, refused } = await burst([batcher], 100);
    assert.equal(ok, 10);
    assert.equal(refused.length, 90);
    for (const err of refused) {
      assert.equal(err.code, 403);
      assert.match(
        err.message,
        /^pods "p\d+" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=10, limited: pods=10$/,
      );
    }
    assert.deepEqual(store.quotas.get('pods')!.status, {
      hard: { pods: '10' },
      used: { pods: '10' },
    });
    assert.ok(store.writes <= 3, `batched: ${store.writes} writes`);
  });

  it('never overshoots across replicas racing on the same quota', async () => {
    const store = new CasQuotaStore();
    store.put(quota('pods', { pods: '10' }, { pods: '0' }));
    const replicas = [0, 1, 2].map(() => new QuotaBatcher(store.accessor(1)));
    const { ok, refused } = await burst(replicas, 60);
    assert.equal(ok, 10);
    assert.equal(refused.length, 50);
    assert.ok(refused.every((e) => e.code === 403));
    assert.deepEqual(store.quotas.get('pods')!.status, {
      hard: { pods: '10' },
      used: { pods: '10' },
    });
    assert.ok(store.conflicts > 0, 'the replicas did race');
  });

  it('checks dry runs without charging', async () => {
    const store = new CasQuotaStore();
    store.put(quota('pods', { pods: '1' }, { pods: '0' }));
    const batcher = new QuotaBatcher(store.accessor());
    const { ok } = await burst([batcher], 5, true);
    assert.equal(ok, 5);
    assert.equal(store.writes, 0);
    const full = new CasQuotaStore();
    full.put(quota('pods', { pods: '1' }, { pods: '1' }));
    const r = await burst([new QuotaBatcher(full.accessor())], 1, true);
    assert.equal(r.refused[0]?.code, 403);
  });

  it('admits without writing when no quota applies', async () => {
    const store = new CasQuotaStore();
    store.put(quota('cm', { configmaps: '1' }, { configmaps: '0' }));
    const batcher = new QuotaBatcher(store.accessor());
    assert.equal((await burst([batcher], 3)).ok, 3);
    assert.equal(store.writes, 0);
  });

  it('re-checks against the live quota after losing a race', async () => {
    const store = new CasQuotaStore();
    store.put(quota('pods', { pods: '2' }, { pods: '0' }));
    const accessor = store.accessor();
    // Someone else charged the quota to its limit; this replica's view is stale.
    store.put(quota('pods', { pods: '2' }, { pods: '2' }));
    const err = await new QuotaBatcher(accessor).evaluate(attrs(pod('late')), pods).then(
      () => assert.fail('admitted over the limit'),
      (e: unknown) => e as StatusError,
    );
    assert.equal(err.code, 403);
    assert.match(err.message, /used: pods=2, limited: pods=2$/);
  });

  it('gives up with the conflict once the retries are spent', async () => {
    const store = new CasQuotaStore();
    store.put(quota('pods', { pods: '5' }, { pods: '0' }));
    const accessor = store.accessor();
    const racing: QuotaAccessor = {
      ...accessor,
      updateStatus: async (q) => {
        store.put(structuredClone(store.quotas.get('pods')!)); // always one step ahead
        return accessor.updateStatus(q, new Date());
      },
    };
    const err = await new QuotaBatcher(racing, { maxRetries: 2 })
      .evaluate(attrs(pod('p')), pods)
      .then(
        () => assert.fail('admitted without a stored charge'),
        (e: unknown) => e as StatusError,
      );
    assert.equal(err.code, 409);
  });
});
