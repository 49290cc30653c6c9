import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '@splitplane/kit';
import type { ResourceDefinition } from '@splitplane/scheme';
import type { WriteContext } from '../store/context.js';
import type { Finish, WriteHooks } from '../store/write-hooks.js';
import { NamespaceQueue } from './namespace-queue.js';
import type { ResourceQuotaController } from './quota-controller.js';
import { composeHooks, quotaWriteHooks } from './quota-hooks.js';

const ctx = (dryRun = false) => ({ namespace: 'ns', dryRun }) as unknown as WriteContext;
const def = (group: string, plural: string, namespaced = true) =>
  ({ group, plural, namespaced }) as ResourceDefinition;

/** Records what the hooks ask of the controller. */
function recorder() {
  const calls: string[] = [];
  const controller = {
    recount: (ns: string, name: string) => calls.push(`recount ${ns}/${name}`),
    release: (g: string, r: string, ns: string, _old: unknown, cur?: unknown) =>
      calls.push(`release ${g}/${r} ${ns}${cur ? ' update' : ''}`),
  } as unknown as ResourceQuotaController;
  return { calls, controller };
}

const pod = (extra: object = {}) => ({
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1' } } }] },
  ...extra,
});

describe('quota write hooks', () => {
  it('recounts a quota once its create or spec change is stored, never on dry runs', async () => {
    const { calls, controller } = recorder();
    const hooks = quotaWriteHooks(controller, def('', 'resourcequotas'))!;
    const q = { metadata: { name: 'q' }, spec: { hard: { pods: '1' } } };
    const created = await hooks.beginCreate!(ctx(), q);
    assert.deepEqual(calls, []);
    await created!.commit();
    assert.equal(await hooks.beginCreate!(ctx(true), q), undefined);
    assert.equal(await hooks.beginUpdate!(ctx(), q, structuredClone(q)), undefined);
    const bigger = { ...q, spec: { hard: { pods: '2' } } };
    await (await hooks.beginUpdate!(ctx(), bigger, q))!.commit();
    assert.deepEqual(calls, ['recount ns/q', 'recount ns/q']);
  });

  it('gives back on deletes, on shrinking updates and when a pod finishes', async () => {
    const { calls, controller } = recorder();
    const pods = quotaWriteHooks(controller, def('', 'pods'))!;
    await pods.afterDelete!(ctx(), pod());
    // A label change lowers nothing: no task queued.
    assert.equal(await pods.beginUpdate!(ctx(), pod({ labels: { a: 'b' } }), pod()), undefined);
    const done = await pods.beginStatusUpdate!(
      ctx(),
      pod({ status: { phase: 'Succeeded' } }),
      pod(),
    );
    await done!.commit();
    assert.deepEqual(calls, ['release /pods ns', 'release /pods ns update']);
    assert.equal(quotaWriteHooks(controller, def('', 'namespaces', false)), undefined);
    assert.equal(quotaWriteHooks(controller, def('', 'configmaps'))!.beginUpdate, undefined);
  });

  it('composes hooks: begins in order, commits together, reverts the begun on failure', async () => {
    const log: string[] = [];
    const finish = (name: string): Finish => ({
      commit: async () => void log.push(`commit ${name}`),
      revert: async () => void log.push(`revert ${name}`),
    });
    const a: WriteHooks = { beginCreate: async () => finish('a') };
    const b: WriteHooks = {
      beginCreate: async () => finish('b'),
      afterDelete: async () => void log.push('deleted b'),
    };
    const failing: WriteHooks = {
      beginCreate: async () => {
        throw new Error('no');
      },
    };
    assert.equal(composeHooks(undefined, a), a);
    const both = composeHooks(a, b)!;
    await (await both.beginCreate!(ctx(), {}))!.commit();
    await both.afterDelete!(ctx(), {});
    await assert.rejects(composeHooks(a, b, failing)!.beginCreate!(ctx(), {}), /no/);
    assert.deepEqual(log, ['commit a', 'commit b', 'deleted b', 'revert b', 'revert a']);
  });
});

describe('NamespaceQueue', () => {
  it('runs a namespace’s tasks in order, skips a queued duplicate, survives failures', async () => {
    const queue = new NamespaceQueue(createLogger('queue-test'));
    const ran: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        await new Promise((r) => setTimeout(r, 5));
        ran.push(name);
        if (fail) throw new Error('boom');
      };
    queue.push('a', task('a1', true));
    queue.push('a', task('a2'), 'k');
    queue.push('a', task('a2-again'), 'k');
    queue.push('b', task('b1'));
    await queue.idle();
    assert.deepEqual(
      ran.filter((r) => r.startsWith('a')),
      ['a1', 'a2'],
    );
    assert.ok(ran.includes('b1'));
  });
});
