// LimitRange constraints with kube's messages (plugin/pkg/admission/limitranger). Values are
// compared in thousandths, rounded up, as kube does for any value that fits.
import { formatQuantity, milliValue, type Quantity } from '@splitplane/apimachinery';
import type { ResourceList } from './resource-list.js';

const show = (q: Quantity) => formatQuantity(q);

export function minConstraint(
  limitType: string,
  resource: string,
  enforced: Quantity,
  requests: ResourceList,
  limits: ResourceList,
): string | undefined {
  const req = requests.get(resource);
  const lim = limits.get(resource);
  const min = milliValue(enforced);
  if (!req)
    return `minimum ${resource} usage per ${limitType} is ${show(enforced)}.  No request is specified`;
  if (milliValue(req) < min)
    return `minimum ${resource} usage per ${limitType} is ${show(enforced)}, but request is ${show(req)}`;
  if (lim && milliValue(lim) < min)
    return `minimum ${resource} usage per ${limitType} is ${show(enforced)}, but limit is ${show(lim)}`;
  return undefined;
}

/** For types whose limits are not user input (PersistentVolumeClaim): the request is judged. */
export function maxRequestConstraint(
  limitType: string,
  resource: string,
  enforced: Quantity,
  requests: ResourceList,
): string | undefined {
  const req = requests.get(resource);
  if (!req)
    return `maximum ${resource} usage per ${limitType} is ${show(enforced)}.  No request is specified`;
  if (milliValue(req) > milliValue(enforced))
    return `maximum ${resource} usage per ${limitType} is ${show(enforced)}, but request is ${show(req)}`;
  return undefined;
}

export function maxConstraint(
  limitType: string,
  resource: string,
  enforced: Quantity,
  requests: ResourceList,
  limits: ResourceList,
): string | undefined {
  const req = requests.get(resource);
  const lim = limits.get(resource);
  const max = milliValue(enforced);
  if (!lim)
    return `maximum ${resource} usage per ${limitType} is ${show(enforced)}.  No limit is specified`;
  if (milliValue(lim) > max)
    return `maximum ${resource} usage per ${limitType} is ${show(enforced)}, but limit is ${show(lim)}`;
  if (req && milliValue(req) > max)
    return `maximum ${resource} usage per ${limitType} is ${show(enforced)}, but request is ${show(req)}`;
  return undefined;
}

export function limitRequestRatioConstraint(
  limitType: string,
  resource: string,
  enforced: Quantity,
  requests: ResourceList,
  limits: ResourceList,
): string | undefined {
  const req = requests.get(resource);
  const lim = limits.get(resource);
  const reqMilli = req ? milliValue(req) : 0n;
  const limMilli = lim ? milliValue(lim) : 0n;
  if (!req || reqMilli === 0n)
    return `${resource} max limit to request ratio per ${limitType} is ${show(enforced)}, but no request is specified or request is 0`;
  if (!lim || limMilli === 0n)
    return `${resource} max limit to request ratio per ${limitType} is ${show(enforced)}, but no limit is specified or limit is 0`;
  const ratio = Number(limMilli) / Number(reqMilli);
  if (ratio * 1000 > Number(milliValue(enforced)))
    // Go's %f: six decimals.
    return `${resource} max limit to request ratio per ${limitType} is ${show(enforced)}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}
