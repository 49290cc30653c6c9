import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { mapLister, testAttributes, type TestRequest } from '../builtin-support/index.js';
import { PriorityPlugin } from './plugin.js';

const pc = (name: string, value: number, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name },
  value,
  ...extra,
});
const SYSTEM = [pc('system-cluster-critical', 2000000000), pc('system-node-critical', 2000001000)];

const pod = (spec: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'p', namespace: 'd' },
  spec: { containers: [{ name: 'c' }], ...spec },
});

async function run(classes: KubeObject[], r: TestRequest, phase: 'admit' | 'validate' = 'admit') {
  const plugin = new PriorityPlugin({ priorityClasses: mapLister(classes) });
  try {
    await plugin[phase](testAttributes(r), { warnings: [], auditAnnotations: {} });
    return undefined;
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    return err;
  }
}

describe('Priority: pods', () => {
  it('gives a pod without a class priority 0 and PreemptLowerPriority', async () => {
    const p = pod();
    assert.equal(await run(SYSTEM, { object: p }), undefined);
    assert.deepEqual(p.spec, {
      containers: [{ name: 'c' }],
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    });
  });

  it('uses the global default class (lowest value when several)', async () => {
    const p = pod();
    const classes = [
      ...SYSTEM,
      pc('hi', 900, { globalDefault: true }),
      pc('lo', 100, { globalDefault: true, preemptionPolicy: 'Never' }),
    ];
    assert.equal(await run(classes, { object: p }), undefined);
    const spec = p.spec as Record<string, unknown>;
    assert.equal(spec.priorityClassName, 'lo');
    assert.equal(spec.priority, 100);
    assert.equal(spec.preemptionPolicy, 'Never');
  });

  it('resolves a named class, system ones included', async () => {
    const p = pod({ priorityClassName: 'system-node-critical' });
    await run(SYSTEM, { object: p });
    assert.equal((p.spec as Record<string, unknown>).priority, 2000001000);
    const q = pod({ priorityClassName: 'high' });
    await run([pc('high', 1000, { preemptionPolicy: 'PreemptLowerPriority' })], { object: q });
    assert.equal((q.spec as Record<string, unknown>).priority, 1000);
  });

  it('refuses an unknown class with kube message', async () => {
    const err = await run(SYSTEM, { object: pod({ priorityClassName: 'nope' }) });
    assert.equal(err?.code, 403);
    assert.equal(err?.message, 'pods "p" is forbidden: no PriorityClass with name nope was found');
  });

  it('refuses a priority that disagrees with the class, allows one that agrees', async () => {
    const err = await run([pc('high', 1000)], {
      object: pod({ priorityClassName: 'high', priority: 5 }),
    });
    assert.equal(
      err?.message,
      'pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
    );
    assert.equal(
      await run([pc('high', 1000)], { object: pod({ priorityClassName: 'high', priority: 1000 }) }),
      undefined,
    );
    const zero = await run(SYSTEM, { object: pod({ priority: 3 }) });
    assert.match(
      zero?.message ?? '',
      /priority \(3\) must not be provided in pod spec; priority admission controller computed 0 /,
    );
  });

  it('refuses a preemptionPolicy that disagrees with the class', async () => {
    const err = await run([pc('np', 10, { preemptionPolicy: 'PreemptLowerPriority' })], {
      object: pod({ priorityClassName: 'np', preemptionPolicy: 'Never' }),
    });
    assert.equal(
      err?.message,
      'pods "p" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name',
    );
  });

  it('keeps priority on update when the new object drops it', async () => {
    const p = pod();
    const old = pod({ priority: 7, preemptionPolicy: 'Never' });
    await run([], { operation: 'UPDATE', object: p, oldObject: old });
    assert.equal((p.spec as Record<string, unknown>).priority, 7);
    assert.equal((p.spec as Record<string, unknown>).preemptionPolicy, 'Never');
  });

  it('skips subresources', async () => {
    const p = pod({ priorityClassName: 'nope' });
    assert.equal(await run([], { object: p, subresource: 'status' }), undefined);
  });
});

describe('Priority: PriorityClasses', () => {
  const req = (obj: KubeObject, operation: 'CREATE' | 'UPDATE' = 'CREATE'): TestRequest => ({
    operation,
    group: 'scheduling.k8s.io',
    resource: 'priorityclasses',
    kind: 'PriorityClass',
    namespace: '',
    object: obj,
  });

  it('allows one global default only', async () => {
    const existing = [pc('first', 1, { globalDefault: true })];
    const err = await run(existing, req(pc('second', 2, { globalDefault: true })), 'validate');
    assert.equal(err?.code, 403);
    assert.equal(
      err?.message,
      'priorityclasses.scheduling.k8s.io "second" is forbidden: PriorityClass first is already marked as default. Only one default can exist',
    );
    assert.equal(
      await run(existing, req(pc('first', 5, { globalDefault: true }), 'UPDATE'), 'validate'),
      undefined,
    );
    const upd = await run(
      existing,
      req(pc('other', 5, { globalDefault: true }), 'UPDATE'),
      'validate',
    );
    assert.equal(upd?.code, 403);
    assert.equal(
      await run([], req(pc('first', 1, { globalDefault: true })), 'validate'),
      undefined,
    );
    assert.equal(await run(existing, req(pc('plain', 1)), 'validate'), undefined);
  });
});
