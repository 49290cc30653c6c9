// Finds the pod metadata and spec in a Pod or in a pod-template-bearing workload, as
// kube's DefaultPodSpecExtractor does.
import type { KubeObject } from '@splitplane/scheme';
import type { PodMetaLike, PodSpecLike } from './pod-types.js';

const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;

/** group/resource -> path to the pod template. */
const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  '/replicationcontrollers': ['spec', 'template'],
  '/podtemplates': ['template'],
  'apps/replicasets': ['spec', 'template'],
  'apps/deployments': ['spec', 'template'],
  'apps/statefulsets': ['spec', 'template'],
  'apps/daemonsets': ['spec', 'template'],
  'batch/jobs': ['spec', 'template'],
  'batch/cronjobs': ['spec', 'jobTemplate', 'spec', 'template'],
};

export const isPodResource = (group: string, resource: string) =>
  group === '' && resource === 'pods';

export const hasPodTemplate = (group: string, resource: string) =>
  `${group}/${resource}` in TEMPLATE_PATHS;

export interface ExtractedPod {
  meta: PodMetaLike;
  spec: PodSpecLike;
}

/** The pod (template) in `object`, or undefined when it has none (e.g. no template set). */
export function extractPodSpec(
  group: string,
  resource: string,
  object: KubeObject,
): ExtractedPod | undefined {
  if (isPodResource(group, resource)) {
    return {
      meta: (obj(object.metadata) ?? {}) as PodMetaLike,
      spec: (obj(object.spec) ?? {}) as PodSpecLike,
    };
  }
  const path = TEMPLATE_PATHS[`${group}/${resource}`];
  if (!path) return undefined;
  let cur: Record<string, unknown> | undefined = object;
  for (const key of path) cur = obj(cur?.[key]);
  if (!cur) return undefined;
  return {
    meta: (obj(cur.metadata) ?? {}) as PodMetaLike,
    spec: (obj(cur.spec) ?? {}) as PodSpecLike,
  };
}
