// Mutating and validating admission as steps of the write loop. A phase admission says it
// has nothing for (no plugin handles the operation) is skipped, saving a gRPC hop.
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionOperation } from '../admission/admission.js';
import type { WriteContext } from './context.js';
import type { Store } from './store.js';

function attributes(
  ctx: WriteContext,
  operation: AdmissionOperation,
  obj: KubeObject | undefined,
  old: KubeObject | undefined,
  options?: Record<string, unknown>,
) {
  return {
    operation,
    def: ctx.def,
    subresource: ctx.subresource,
    name: ctx.name || (obj?.metadata?.name ?? ''),
    namespace: ctx.namespace,
    ...(obj ? { object: obj } : {}),
    ...(old ? { oldObject: old } : {}),
    ...(ctx.attrs.user ? { user: ctx.attrs.user } : {}),
    dryRun: ctx.dryRun,
    ...(options ? { options } : {}),
    ...(ctx.deadline ? { deadline: ctx.deadline } : {}),
  };
}

/** Runs mutating admission; returns the object to continue with (admission's, if it changed it). */
export async function admit(
  store: Store,
  ctx: WriteContext,
  operation: AdmissionOperation,
  obj: KubeObject | undefined,
  old: KubeObject | undefined,
  options?: Record<string, unknown>,
): Promise<KubeObject | undefined> {
  if (!store.admission || store.admission.needs?.('admit', operation) === false) return obj;
  const res = await store.admission.admit(attributes(ctx, operation, obj, old, options));
  ctx.warnings.push(...res.warnings);
  return res.object ?? obj;
}

export async function validateAdmission(
  store: Store,
  ctx: WriteContext,
  operation: AdmissionOperation,
  obj: KubeObject | undefined,
  old: KubeObject | undefined,
  options?: Record<string, unknown>,
): Promise<void> {
  if (!store.admission || store.admission.needs?.('validate', operation) === false) return;
  const res = await store.admission.validate(attributes(ctx, operation, obj, old, options));
  ctx.warnings.push(...res.warnings);
}
