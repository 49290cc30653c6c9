// The QoS class kube records in status.qosClass at create (pkg/apis/core/helper/qos).
import { type JsonObject, isObject, objects } from '../internal/json.js';
import { compareQuantities, sign, tryParseQuantity } from '@splitplane/apimachinery';

const QOS_RESOURCES = ['cpu', 'memory'];

export function podQOSClass(spec: JsonObject): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...objects(spec['initContainers']), ...objects(spec['containers'])]) {
    const r = isObject(c['resources']) ? c['resources'] : {};
    const req = isObject(r['requests']) ? r['requests'] : {};
    const lim = isObject(r['limits']) ? r['limits'] : {};
    const positive = (m: JsonObject) =>
      QOS_RESOURCES.filter((name) => {
        const q = tryParseQuantity(m[name]);
        return q !== undefined && sign(q) > 0;
      });
    for (const name of positive(req)) requests.set(name, 1);
    const limited = positive(lim);
    for (const name of limited) limits.set(name, 1);
    if (limited.length !== QOS_RESOURCES.length) guaranteed = false;
    for (const name of positive(req)) {
      const a = tryParseQuantity(req[name]);
      const b = tryParseQuantity(lim[name]);
      if (!a || !b || compareQuantities(a, b) !== 0) guaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
