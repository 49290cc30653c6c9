// A pod's effective requests and limits (k8s.io/component-helpers/resource PodRequests and
// PodLimits): containers summed, sidecars (restartable init containers) added, each other
// init container taken at its peak together with the sidecars started before it, the
// overhead added, and pod-level resources winning where set.
import type { KubeObject } from '@splitplane/scheme';
import { add, max, parseResourceList, type ResourceList } from '../resource-list.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);

export const podSpec = (pod: KubeObject): Json => obj(pod.spec);
export const containersOf = (pod: KubeObject): Json[] => list(podSpec(pod)['containers']);
export const initContainersOf = (pod: KubeObject): Json[] => list(podSpec(pod)['initContainers']);

export const containerRequests = (c: Json): ResourceList =>
  parseResourceList(obj(c['resources'])['requests']);
export const containerLimits = (c: Json): ResourceList =>
  parseResourceList(obj(c['resources'])['limits']);

const isSidecar = (c: Json) => c['restartPolicy'] === 'Always';

/** Pod-level resources only count for cpu and memory (kube's supported pod-level set). */
const POD_LEVEL = ['cpu', 'memory'];

function aggregate(pod: KubeObject, of: (c: Json) => ResourceList): ResourceList {
  let total: ResourceList = {};
  for (const c of containersOf(pod)) total = add(total, of(c));
  let sidecars: ResourceList = {};
  let initPeak: ResourceList = {};
  for (const c of initContainersOf(pod)) {
    if (isSidecar(c)) {
      sidecars = add(sidecars, of(c));
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(of(c), sidecars));
    }
  }
  total = max(add(total, sidecars), initPeak);
  const podLevel = of(obj(podSpec(pod)));
  for (const name of POD_LEVEL) if (podLevel[name]) total[name] = podLevel[name];
  return add(total, parseResourceList(podSpec(pod)['overhead']));
}

export const podRequests = (pod: KubeObject): ResourceList => aggregate(pod, containerRequests);
export const podLimits = (pod: KubeObject): ResourceList => aggregate(pod, containerLimits);

/** Whether spec.resources sets cpu or memory for the whole pod. */
export function podLevelResourcesSet(pod: KubeObject): boolean {
  const r = obj(podSpec(pod)['resources']);
  return [obj(r['requests']), obj(r['limits'])].some((l) => POD_LEVEL.some((n) => n in l));
}
