// The autoscaling/v1 Scale view of a scalable parent, shared by the /scale verbs and by the
// update pipeline, which shows admission the Scale (as kube does) rather than the parent.
import { fromLabelSelector, invalid, newInvalid, type FieldError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';

export const SCALE_KIND = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
const SCALE_GK = { group: 'autoscaling', kind: 'Scale' };

export function scaleOf(parent: KubeObject): KubeObject {
  const m = parent.metadata ?? {};
  const spec = (parent.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (parent.status ?? {}) as { replicas?: number };
  let selector = '';
  try {
    selector = fromLabelSelector(spec.selector as never).toString();
  } catch {
    selector = '';
  }
  const meta: Record<string, unknown> = { name: m.name, namespace: m.namespace, uid: m.uid };
  if (m.resourceVersion) meta.resourceVersion = m.resourceVersion;
  if (m.creationTimestamp) meta.creationTimestamp = m.creationTimestamp;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: meta,
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}

/** spec.replicas of a Scale, or a 422 as kube's ValidateScale. */
export function validateScale(scale: KubeObject, name: string): number {
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
  const errs: FieldError[] = [];
  const n = replicas === undefined ? 0 : replicas;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    errs.push(invalid('spec.replicas', n, 'must be an integer'));
  } else if (n < 0) {
    errs.push(invalid('spec.replicas', n, 'must be greater than or equal to 0'));
  }
  if (errs.length) throw newInvalid(SCALE_GK, name, errs);
  return n as number;
}

/** The parent with the replicas a (possibly admission-mutated) Scale asks for. */
export function withScaleReplicas(parent: KubeObject, scale: KubeObject, name: string): KubeObject {
  const replicas = validateScale(scale, name);
  return { ...parent, spec: { ...(parent.spec as object), replicas } };
}
