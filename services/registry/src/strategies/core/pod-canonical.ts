// Quantities are stored in canonical form ("0.5" -> "500m"), as kube-apiserver's
// re-serialisation of resource.Quantity does; this walks the quantity fields of a PodSpec.
import { type JsonObject, isObject, objects } from '../internal/json.js';
import { canonicalQuantity } from '@splitplane/apimachinery';

export function canonicalizeQuantityMap(m: unknown): void {
  if (!isObject(m)) return;
  for (const [k, v] of Object.entries(m)) m[k] = canonicalQuantity(v);
}

export function canonicalizePodSpec(spec: unknown): void {
  if (!isObject(spec)) return;
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of objects(spec[list])) {
      const r = c['resources'];
      if (isObject(r)) {
        canonicalizeQuantityMap(r['limits']);
        canonicalizeQuantityMap(r['requests']);
      }
    }
  }
  canonicalizeQuantityMap(spec['overhead']);
  if (isObject(spec['resources'])) {
    canonicalizeQuantityMap(spec['resources']['limits']);
    canonicalizeQuantityMap(spec['resources']['requests']);
  }
  for (const v of objects(spec['volumes'])) {
    const ed = v['emptyDir'];
    if (isObject(ed) && ed['sizeLimit'] !== undefined)
      ed['sizeLimit'] = canonicalQuantity(ed['sizeLimit']);
  }
}

export function canonicalizeTemplate(obj: JsonObject): void {
  const spec = obj['spec'];
  if (!isObject(spec)) return;
  const template = spec['template'];
  if (isObject(template)) canonicalizePodSpec(template['spec']);
}
