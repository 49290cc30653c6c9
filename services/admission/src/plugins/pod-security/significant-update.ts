// kube only re-evaluates a pod UPDATE when something PodSecurity cares about can have
// changed: pod spec fields are immutable except images, ephemeral containers and the
// seccomp annotations.
import { SECCOMP_CONTAINER_ANNOTATION_PREFIX, SECCOMP_POD_ANNOTATION } from './checks/index.js';
import type { ContainerLike, PodMetaLike, PodSpecLike } from './pod-types.js';

const list = (v: unknown): ContainerLike[] => (Array.isArray(v) ? (v as ContainerLike[]) : []);

export function isSignificantPodUpdate(
  meta: PodMetaLike,
  spec: PodSpecLike,
  oldMeta: PodMetaLike,
  oldSpec: PodSpecLike,
): boolean {
  const ann = meta.annotations ?? {};
  const oldAnn = oldMeta.annotations ?? {};
  if (list(spec.ephemeralContainers).length !== list(oldSpec.ephemeralContainers).length) return true;
  if (ann[SECCOMP_POD_ANNOTATION] !== oldAnn[SECCOMP_POD_ANNOTATION]) return true;
  for (const field of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    const now = list(spec[field]);
    const before = list(oldSpec[field]);
    if (now.length !== before.length) return true;
    for (let i = 0; i < now.length; i++) {
      const c = now[i] ?? {};
      const o = before[i] ?? {};
      if (c.image !== o.image) return true;
      const key = SECCOMP_CONTAINER_ANNOTATION_PREFIX + String(c.name ?? '');
      if (ann[key] !== oldAnn[key]) return true;
    }
  }
  return false;
}
