// How the quota controller learns of changes without a watch: write hooks in the store.
// A quota created or given a new spec is recounted once stored; a deleted object, or a
// Service, PVC or pod updated to charge less (a pod finishing, through pods/status), gives
// its charge back.
import {
  evaluatorFor,
  removeZeros,
  subtractNonNegative,
  type Evaluator,
} from '@splitplane/admission/quota';
import type { KubeObject, ResourceDefinition } from '@splitplane/scheme';
import type { Finish, WriteHooks } from '../store/write-hooks.js';
import type { ResourceQuotaController } from './quota-controller.js';

const NOTHING_TO_UNDO = async () => {};

/** Resources whose usage an update can shrink (the rest only count objects). */
const SHRINKABLE = new Set(['/pods', '/services', '/persistentvolumeclaims']);

const specOf = (q: KubeObject) => JSON.stringify(q.spec ?? {});

export function quotaWriteHooks(
  controller: ResourceQuotaController,
  def: ResourceDefinition,
): WriteHooks | undefined {
  if (!def.namespaced) return undefined;
  if (def.group === '' && def.plural === 'resourcequotas') {
    const recountOnCommit = (namespace: string, obj: KubeObject): Finish => ({
      commit: async () => controller.recount(namespace, obj.metadata?.name ?? ''),
      revert: NOTHING_TO_UNDO,
    });
    return {
      beginCreate: async (ctx, obj) =>
        ctx.dryRun ? undefined : recountOnCommit(ctx.namespace, obj),
      beginUpdate: async (ctx, obj, old) =>
        ctx.dryRun || specOf(obj) === specOf(old) ? undefined : recountOnCommit(ctx.namespace, obj),
    };
  }
  const hooks: WriteHooks = {
    afterDelete: async (ctx, obj) => controller.release(def.group, def.plural, ctx.namespace, obj),
  };
  if (SHRINKABLE.has(`${def.group}/${def.plural}`)) {
    const evaluator = evaluatorFor(def.group, def.plural);
    hooks.beginUpdate = hooks.beginStatusUpdate = async (ctx, obj, old) =>
      ctx.dryRun || !mayGiveBack(evaluator, old, obj)
        ? undefined
        : {
            commit: async () => controller.release(def.group, def.plural, ctx.namespace, old, obj),
            revert: NOTHING_TO_UNDO,
          };
  }
  return hooks;
}

/** The pod scopes an update can move an object between (the others are immutable). */
const MOVABLE_SCOPES = [
  { scopeName: 'Terminating', operator: 'Exists' },
  { scopeName: 'CrossNamespacePodAffinity', operator: 'Exists' },
];

/** Whether an update can lower what the object charges: most updates (labels, status) cannot. */
function mayGiveBack(evaluator: Evaluator, old: KubeObject, obj: KubeObject): boolean {
  const now = new Date();
  const lower = removeZeros(
    subtractNonNegative(evaluator.usage(old, now), evaluator.usage(obj, now)),
  );
  if (Object.keys(lower).length > 0) return true;
  return MOVABLE_SCOPES.some(
    (s) => evaluator.matchesScope(s, old) !== evaluator.matchesScope(s, obj),
  );
}

/** Finishes run together: commit in order, revert in reverse. */
function together(finishes: Array<Finish | undefined>): Finish {
  return {
    commit: async () => {
      for (const f of finishes) await f?.commit();
    },
    revert: async () => {
      for (const f of [...finishes].reverse()) await f?.revert();
    },
  };
}

/** Runs each hook's begin step in order; a failing one reverts those before it. */
async function beginAll(
  hooks: WriteHooks[],
  begin: (h: WriteHooks) => Promise<Finish | undefined> | undefined,
): Promise<Finish> {
  const finishes: Array<Finish | undefined> = [];
  try {
    for (const h of hooks) finishes.push(await begin(h));
  } catch (err) {
    await together(finishes).revert();
    throw err;
  }
  return together(finishes);
}

/** Several hooks as one: begin hooks run in order and finish together. */
export function composeHooks(...all: Array<WriteHooks | undefined>): WriteHooks | undefined {
  const hooks = all.filter((h): h is WriteHooks => h !== undefined);
  if (hooks.length <= 1) return hooks[0];
  return {
    beginCreate: (ctx, obj) => beginAll(hooks, (h) => h.beginCreate?.(ctx, obj)),
    beginUpdate: (ctx, obj, old) => beginAll(hooks, (h) => h.beginUpdate?.(ctx, obj, old)),
    beginStatusUpdate: (ctx, obj, old) =>
      beginAll(hooks, (h) => h.beginStatusUpdate?.(ctx, obj, old)),
    afterDelete: async (ctx, obj) => {
      for (const h of hooks) await h.afterDelete?.(ctx, obj);
    },
  };
}
