// LimitRange and ResourceQuota strategies: resource names and quantities (kube's
// ValidateLimitRange / ValidateResourceQuota), LimitRange's Container defaults.
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, duplicate, invalid, notSupported } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, isObject, objects, strings } from '../internal/json.js';
import { each, isQualifiedName } from '../internal/meta.js';
import { child, index, key } from '../internal/path.js';
import {
  type Quantity,
  compareQuantities,
  formatQuantity,
  milliValue,
} from '@splitplane/apimachinery';
import { canonicalizeQuantityMap } from './pod-canonical.js';
import { quantityAt, validateNonnegativeQuantity } from './resources-validation.js';

const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];
const QUOTA_SCOPES = [
  'BestEffort',
  'CrossNamespacePodAffinity',
  'NotBestEffort',
  'NotTerminating',
  'PriorityClass',
  'Terminating',
];
const STANDARD_QUOTA = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);
/** Object counts and the like must be whole numbers. */
const INTEGER_QUOTA = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

function quantities(
  map: unknown,
  path: string,
  errs: FieldError[],
  nameCheck: (n: string, p: string) => FieldError[],
): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  if (!isObject(map)) return out;
  for (const [name, raw] of Object.entries(map)) {
    const p = key(path, name);
    errs.push(...nameCheck(name, p));
    const q = quantityAt(raw, p, errs);
    if (!q) continue;
    errs.push(...validateNonnegativeQuantity(q, p));
    out.set(name, q);
  }
  return out;
}

const qualified = (n: string, p: string) => each(p, n, isQualifiedName(n));

function validateLimitRange(lr: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = isObject(lr['spec']) ? lr['spec'] : {};
  const seenTypes = new Set<string>();
  objects(spec['limits']).forEach((item, i) => {
    const p = index(child('spec', 'limits'), i);
    const type = String(item['type'] ?? '');
    if (!LIMIT_TYPES.includes(type))
      errs.push(notSupported(child(p, 'type'), item['type'] ?? '', LIMIT_TYPES));
    if (seenTypes.has(type)) errs.push(duplicate(child(p, 'type'), type));
    seenTypes.add(type);
    const max = quantities(item['max'], child(p, 'max'), errs, qualified);
    const min = quantities(item['min'], child(p, 'min'), errs, qualified);
    const def = quantities(item['default'], child(p, 'default'), errs, qualified);
    const defReq = quantities(item['defaultRequest'], child(p, 'defaultRequest'), errs, qualified);
    quantities(item['maxLimitRequestRatio'], child(p, 'maxLimitRequestRatio'), errs, qualified);
    if (type === 'Pod') {
      if (def.size > 0)
        errs.push(
          invalid(
            child(p, 'default'),
            item['default'],
            "may not be specified when `type` is 'Pod'",
          ),
        );
      if (defReq.size > 0)
        errs.push(
          invalid(
            child(p, 'defaultRequest'),
            item['defaultRequest'],
            "may not be specified when `type` is 'Pod'",
          ),
        );
    }
    const f = formatQuantity;
    for (const [k, mn] of min) {
      const mx = max.get(k);
      if (mx && compareQuantities(mn, mx) > 0)
        errs.push(
          invalid(
            key(child(p, 'min'), k),
            f(mn),
            `min value ${f(mn)} is greater than max value ${f(mx)}`,
          ),
        );
    }
    for (const [k, dr] of defReq) {
      const d = def.get(k);
      const mn = min.get(k);
      const mx = max.get(k);
      if (d && compareQuantities(dr, d) > 0)
        errs.push(
          invalid(
            key(child(p, 'defaultRequest'), k),
            f(dr),
            `default request value ${f(dr)} is greater than default limit value ${f(d)}`,
          ),
        );
      if (mn && compareQuantities(mn, dr) > 0)
        errs.push(
          invalid(
            key(child(p, 'defaultRequest'), k),
            f(dr),
            `min value ${f(mn)} is greater than default request value ${f(dr)}`,
          ),
        );
      if (mx && compareQuantities(dr, mx) > 0)
        errs.push(
          invalid(
            key(child(p, 'defaultRequest'), k),
            f(dr),
            `default request value ${f(dr)} is greater than max value ${f(mx)}`,
          ),
        );
    }
    for (const [k, d] of def) {
      const mn = min.get(k);
      const mx = max.get(k);
      if (mn && compareQuantities(mn, d) > 0)
        errs.push(
          invalid(
            key(child(p, 'default'), k),
            f(d),
            `min value ${f(mn)} is greater than default value ${f(d)}`,
          ),
        );
      if (mx && compareQuantities(d, mx) > 0)
        errs.push(
          invalid(
            key(child(p, 'default'), k),
            f(d),
            `default value ${f(d)} is greater than max value ${f(mx)}`,
          ),
        );
    }
  });
  return errs;
}

/** SetDefaults_LimitRangeItem: Container limits default from max, requests from default then min. */
function defaultLimitRange(lr: JsonObject): void {
  const spec = isObject(lr['spec']) ? lr['spec'] : {};
  for (const item of objects(spec['limits'])) {
    if (item['type'] !== 'Container') continue;
    const def: JsonObject = isObject(item['default']) ? item['default'] : {};
    const defReq: JsonObject = isObject(item['defaultRequest']) ? item['defaultRequest'] : {};
    for (const [k, v] of Object.entries(isObject(item['max']) ? item['max'] : {}))
      if (def[k] === undefined) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (defReq[k] === undefined) defReq[k] = v;
    for (const [k, v] of Object.entries(isObject(item['min']) ? item['min'] : {}))
      if (defReq[k] === undefined) defReq[k] = v;
    if (Object.keys(def).length > 0) item['default'] = def;
    if (Object.keys(defReq).length > 0) item['defaultRequest'] = defReq;
  }
}

function quotaName(name: string, path: string): FieldError[] {
  const errs = each(path, name, isQualifiedName(name));
  if (
    errs.length === 0 &&
    !name.includes('/') &&
    !STANDARD_QUOTA.has(name) &&
    !/^(requests\.)?hugepages-/.test(name)
  ) {
    errs.push(invalid(path, name, 'must be a standard resource for quota'));
  }
  return errs;
}

function validateResourceQuota(rq: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = isObject(rq['spec']) ? rq['spec'] : {};
  const hard = quantities(spec['hard'], child('spec', 'hard'), errs, quotaName);
  for (const [name, q] of hard) {
    const integer =
      INTEGER_QUOTA.has(name) ||
      name.startsWith('count/') ||
      (name.includes('/') && !name.includes('kubernetes.io/'));
    if (integer && milliValue(q) % 1000n !== 0n)
      errs.push(invalid(key(child('spec', 'hard'), name), formatQuantity(q), 'must be an integer'));
  }
  strings(spec['scopes']).forEach((s, i) => {
    if (!QUOTA_SCOPES.includes(s))
      errs.push(notSupported(index(child('spec', 'scopes'), i), s, QUOTA_SCOPES));
  });
  return errs;
}

export function limitRangeStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    defaults: defaultLimitRange,
    validate: validateLimitRange,
    canonicalize(lr) {
      const spec = isObject(lr['spec']) ? lr['spec'] : {};
      for (const item of objects(spec['limits'])) {
        for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'])
          canonicalizeQuantityMap(item[f]);
      }
    },
  });
}

export function resourceQuotaStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    prepareForCreate(rq) {
      rq['status'] = {};
    },
    validate: validateResourceQuota,
    validateStatus(rq) {
      const errs: FieldError[] = [];
      const status = isObject(rq['status']) ? rq['status'] : {};
      quantities(status['hard'], child('status', 'hard'), errs, quotaName);
      quantities(status['used'], child('status', 'used'), errs, quotaName);
      return errs;
    },
    canonicalize(rq) {
      if (isObject(rq['spec'])) canonicalizeQuantityMap(rq['spec']['hard']);
    },
  });
}
