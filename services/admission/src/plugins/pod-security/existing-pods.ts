// Warnings for a namespace whose enforce level is being tightened: which existing pods
// would now be rejected, grouped by identical violations, as kube's EvaluatePodsInNamespace.
import type { KubeObject } from '@splitplane/scheme';
import { formatLevelVersion, type LevelVersion } from './api.js';
import type { Evaluator } from './evaluator.js';
import { byteOrder, goQuote } from './format.js';
import type { PodMetaLike, PodSpecLike } from './pod-types.js';

export const MAX_PODS_TO_CHECK = 3000;

interface OwnerRef {
  controller?: boolean;
  uid?: string;
}

/**
 * Drops pods of exempt runtime classes, then puts one pod per controller first so a big
 * ReplicaSet does not crowd out other workloads.
 */
function prioritize(
  pods: KubeObject[],
  isExemptRuntimeClass: (name: unknown) => boolean,
): KubeObject[] {
  const first: KubeObject[] = [];
  const rest: KubeObject[] = [];
  const seen = new Set<string>();
  for (const pod of pods) {
    if (isExemptRuntimeClass((pod.spec as PodSpecLike | undefined)?.runtimeClassName)) continue;
    const refs = (pod.metadata?.ownerReferences ?? []) as OwnerRef[];
    const owner = refs.find((r) => r && r.controller === true);
    if (!owner?.uid) first.push(pod);
    else if (seen.has(owner.uid)) rest.push(pod);
    else {
      seen.add(owner.uid);
      first.push(pod);
    }
  }
  return [...first, ...rest];
}

export function evaluatePodsInNamespace(
  evaluator: Evaluator,
  namespace: string,
  pods: KubeObject[],
  enforce: LevelVersion,
  isExemptRuntimeClass: (name: unknown) => boolean,
  maxPods = MAX_PODS_TO_CHECK,
): string[] {
  const ordered = prioritize(pods, isExemptRuntimeClass);
  const checked = ordered.slice(0, maxPods);
  const byReason = new Map<string, { podName: string; count: number }>();
  for (const pod of checked) {
    const spec = (pod.spec ?? {}) as PodSpecLike;
    const r = evaluator.evaluate(enforce, (pod.metadata ?? {}) as PodMetaLike, spec);
    if (r.allowed) continue;
    const reason = r.forbiddenReasons.join(', ');
    const name = String(pod.metadata?.name ?? '');
    const c = byReason.get(reason);
    if (!c) byReason.set(reason, { podName: name, count: 1 });
    else {
      if (name < c.podName) c.podName = name;
      c.count++;
    }
  }
  const warnings: string[] = [];
  if (checked.length < ordered.length) {
    warnings.push(
      `new PodSecurity enforce level only checked against the first ${checked.length} of ${ordered.length} existing pods`,
    );
  }
  if (byReason.size > 0) {
    warnings.push(
      `existing pods in namespace ${goQuote(namespace)} violate the new PodSecurity enforce level ${goQuote(formatLevelVersion(enforce))}`,
    );
  }
  const podWarnings = [...byReason].map(([reason, { podName, count }]) => {
    if (count === 1) return `${podName}: ${reason}`;
    if (count === 2) return `${podName} (and 1 other pod): ${reason}`;
    return `${podName} (and ${count - 1} other pods): ${reason}`;
  });
  return [...warnings, ...podWarnings.sort(byteOrder)];
}
