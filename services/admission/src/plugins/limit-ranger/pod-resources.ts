// A pod's requests and limits as LimitRanger totals them (its podRequests / podLimits):
// app containers and sidecars add up, a plain init container only needs to fit alone; the
// RuntimeClass overhead is left out, and pod-level cpu and memory (PodLevelResources, on by
// default) replace the containers' sum.
import { addInto, maxInto, resourceList, type ResourceList } from './resource-list.js';

type Obj = Record<string, unknown>;

/** The resources a pod may set for itself in spec.resources. */
const POD_LEVEL_RESOURCES = ['cpu', 'memory'];
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const resources = (c: Obj) => (c.resources ?? {}) as { requests?: unknown; limits?: unknown };

export function podTotals(spec: Obj, which: 'requests' | 'limits'): ResourceList {
  const total: ResourceList = new Map();
  for (const c of list(spec.containers)) addInto(total, resourceList(resources(c)[which]));
  const sidecars: ResourceList = new Map();
  const initPeak: ResourceList = new Map();
  for (const c of list(spec.initContainers)) {
    const own = resourceList(resources(c)[which]);
    if (c.restartPolicy === 'Always') {
      // A sidecar keeps running beside the app containers and every later init container.
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initPeak, sidecars);
    } else {
      const running = new Map(own);
      addInto(running, sidecars);
      maxInto(initPeak, running);
    }
  }
  maxInto(total, initPeak);
  const podLevel = resourceList(((spec.resources ?? {}) as Record<string, unknown>)[which]);
  for (const name of POD_LEVEL_RESOURCES) {
    const q = podLevel.get(name);
    if (q) total.set(name, q);
  }
  return total;
}
