// Mutating and validating admission as steps of the write loop. A phase admission says it
// has nothing for (no plugin handles the operation) is skipped, saving a gRPC hop.
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes, AdmissionOperation } from '../admission/admission.js';
import type { WriteContext } from './context.js';
import type { Store } from './store.js';

export type AdmissionKind = NonNullable<AdmissionAttributes['kind']>;

/**
 * The CreateOptions/UpdateOptions/DeleteOptions object kube hands admission: the request's
 * dryRun, fieldManager and fieldValidation as the query carried them, over `base`.
 */
export function optionsFor(
  ctx: WriteContext,
  kind: 'CreateOptions' | 'UpdateOptions' | 'DeleteOptions',
  base: Record<string, unknown> = {},
): Record<string, unknown> {
  const opts: Record<string, unknown> = { kind, apiVersion: 'meta.k8s.io/v1', ...base };
  if (ctx.dryRun) opts['dryRun'] = ['All'];
  if (kind !== 'DeleteOptions') {
    if (ctx.attrs.fieldManager) opts['fieldManager'] = ctx.attrs.fieldManager;
    if (ctx.attrs.fieldValidation) opts['fieldValidation'] = ctx.attrs.fieldValidation;
  }
  return opts;
}

/**
 * The name and namespace admission sees: kube takes them from the request (a create's from
 * its object), and a Namespace's namespace is its own name.
 */
function target(ctx: WriteContext, obj: KubeObject | undefined) {
  if (ctx.admissionTarget) return ctx.admissionTarget;
  const name = ctx.name || (obj?.metadata?.name ?? '');
  const isNamespace = ctx.def.group === '' && ctx.def.kind === 'Namespace';
  return { name, namespace: isNamespace ? name : ctx.namespace };
}

function attributes(
  ctx: WriteContext,
  operation: AdmissionOperation,
  obj: KubeObject | undefined,
  old: KubeObject | undefined,
  options: Record<string, unknown> | undefined,
  kind: AdmissionKind | undefined,
): AdmissionAttributes {
  return {
    operation,
    def: ctx.def,
    ...(kind ? { kind } : {}),
    subresource: ctx.subresource,
    ...target(ctx, obj),
    ...(obj ? { object: obj } : {}),
    ...(old ? { oldObject: old } : {}),
    ...(ctx.attrs.user ? { user: ctx.attrs.user } : {}),
    dryRun: ctx.dryRun,
    ...(options ? { options } : {}),
    ...(ctx.deadline ? { deadline: ctx.deadline } : {}),
  };
}

function record(
  ctx: WriteContext,
  res: { warnings: string[]; auditAnnotations?: Record<string, string> },
) {
  ctx.warnings.push(...res.warnings);
  if (res.auditAnnotations) Object.assign(ctx.auditAnnotations, res.auditAnnotations);
}

/** Runs mutating admission; returns the object to continue with (admission's, if it changed it). */
export async function admit(
  store: Store,
  ctx: WriteContext,
  operation: AdmissionOperation,
  obj: KubeObject | undefined,
  old: KubeObject | undefined,
  options?: Record<string, unknown>,
  kind?: AdmissionKind,
): Promise<KubeObject | undefined> {
  if (!store.admission || store.admission.needs?.('admit', operation) === false) return obj;
  const res = await store.admission.admit(attributes(ctx, operation, obj, old, options, kind));
  record(ctx, res);
  return res.object ?? obj;
}

export async function validateAdmission(
  store: Store,
  ctx: WriteContext,
  operation: AdmissionOperation,
  obj: KubeObject | undefined,
  old: KubeObject | undefined,
  options?: Record<string, unknown>,
  kind?: AdmissionKind,
): Promise<void> {
  if (!store.admission || store.admission.needs?.('validate', operation) === false) return;
  const res = await store.admission.validate(attributes(ctx, operation, obj, old, options, kind));
  record(ctx, res);
}
