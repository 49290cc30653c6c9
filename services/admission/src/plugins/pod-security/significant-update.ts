// kube only re-evaluates a pod UPDATE when something PodSecurity reads can have changed:
// the pod spec is immutable apart from images, added ephemeral containers and the
// per-container seccomp annotations.
import { SECCOMP_CONTAINER_ANNOTATION_PREFIX } from './checks/index.js';
import type { ContainerLike, PodMetaLike, PodSpecLike } from './pod-types.js';

const list = (v: unknown): ContainerLike[] =>
  (Array.isArray(v) ? (v as unknown[]) : []).map((c) =>
    typeof c === 'object' && c !== null ? (c as ContainerLike) : {},
  );

function containerChanged(
  c: ContainerLike,
  old: ContainerLike,
  ann: Record<string, string>,
  oldAnn: Record<string, string>,
) {
  if (c.image !== old.image) return true;
  const key = SECCOMP_CONTAINER_ANNOTATION_PREFIX + String(c.name ?? '');
  return ann[key] !== oldAnn[key];
}

export function isSignificantPodUpdate(
  meta: PodMetaLike,
  spec: PodSpecLike,
  oldMeta: PodMetaLike,
  oldSpec: PodSpecLike,
): boolean {
  const ann = meta.annotations ?? {};
  const oldAnn = oldMeta.annotations ?? {};
  for (const field of ['containers', 'initContainers'] as const) {
    const now = list(spec[field]);
    const before = list(oldSpec[field]);
    if (now.length !== before.length) return true;
    if (now.some((c, i) => containerChanged(c, before[i]!, ann, oldAnn))) return true;
  }
  // Ephemeral containers are matched by name: kube lets them be added, never changed.
  const oldEphemeral = list(oldSpec.ephemeralContainers);
  for (const c of list(spec.ephemeralContainers)) {
    const old = oldEphemeral.find((o) => o.name === c.name);
    if (!old || containerChanged(c, old, ann, oldAnn)) return true;
  }
  return false;
}
