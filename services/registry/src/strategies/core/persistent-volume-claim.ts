// PersistentVolumeClaim strategy (kube's ValidatePersistentVolumeClaim and its update
// rules): volumeMode Filesystem by default, Pending on create, spec frozen except growth.
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type FieldError,
  forbidden,
  invalid,
  notSupported,
  required,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import {
  type JsonObject,
  clone,
  deepEqual,
  ensureObject,
  isObject,
  setDefault,
  strings,
} from '../internal/json.js';
import { each, isDNS1123Subdomain, validateLabelSelector } from '../internal/meta.js';
import { child, key } from '../internal/path.js';
import {
  compareQuantities,
  formatQuantity,
  sign,
  tryParseQuantity,
} from '@splitplane/apimachinery';
import { canonicalizeQuantityMap } from './pod-canonical.js';
import { quantityAt, validateNonnegativeQuantity } from './resources-validation.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];

function specOf(pvc: JsonObject): JsonObject {
  return isObject(pvc['spec']) ? pvc['spec'] : {};
}

export function defaultPVCSpec(spec: JsonObject): void {
  setDefault(spec, 'volumeMode', 'Filesystem');
}

/** ValidatePersistentVolumeClaimSpec, also used for StatefulSet claim templates. */
export function validatePVCSpec(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const modes = strings(spec['accessModes']);
  if (modes.length === 0)
    errs.push(required(child(path, 'accessModes'), 'at least 1 access mode is required'));
  for (const m of modes) {
    if (!ACCESS_MODES.includes(m))
      errs.push(notSupported(child(path, 'accessModes'), m, ACCESS_MODES));
  }
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    errs.push(
      forbidden(child(path, 'accessModes'), 'may not use ReadWriteOncePod with other access modes'),
    );
  }
  if (spec['selector'] !== undefined && spec['selector'] !== null)
    errs.push(...validateLabelSelector(spec['selector'], child(path, 'selector')));
  const resources = isObject(spec['resources']) ? spec['resources'] : {};
  const requests = isObject(resources['requests']) ? resources['requests'] : {};
  const storagePath = key(child(path, 'resources'), 'storage');
  if (requests['storage'] === undefined) errs.push(required(storagePath, ''));
  else {
    const q = quantityAt(requests['storage'], storagePath, errs);
    if (q) {
      errs.push(...validateNonnegativeQuantity(q, storagePath));
      if (sign(q) <= 0)
        errs.push(invalid(storagePath, formatQuantity(q), 'must be greater than zero'));
    }
  }
  const vm = spec['volumeMode'];
  if (vm !== undefined && vm !== null && !VOLUME_MODES.includes(String(vm))) {
    errs.push(notSupported(child(path, 'volumeMode'), vm, VOLUME_MODES));
  }
  const sc = spec['storageClassName'];
  if (typeof sc === 'string' && sc !== '')
    errs.push(...each(child(path, 'storageClassName'), sc, isDNS1123Subdomain(sc)));
  return errs;
}

function validatePVCUpdate(pvc: JsonObject, old: JsonObject): FieldError[] {
  const spec = clone(specOf(pvc));
  const oldSpec = clone(specOf(old));
  const errs: FieldError[] = [];
  // The binder fills volumeName once.
  if (!oldSpec['volumeName']) {
    delete spec['volumeName'];
    delete oldSpec['volumeName'];
  }
  const bound = isObject(pvc['status']) && pvc['status']['phase'] === 'Bound';
  const req = (s: JsonObject) =>
    isObject(s['resources']) && isObject(s['resources']['requests'])
      ? s['resources']['requests']
      : undefined;
  const newReq = req(spec);
  const oldReq = req(oldSpec);
  if (bound && newReq && oldReq) {
    const a = tryParseQuantity(newReq['storage']);
    const b = tryParseQuantity(oldReq['storage']);
    if (a && b && compareQuantities(a, b) < 0) {
      errs.push(
        forbidden('spec.resources.requests.storage', 'field can not be less than previous value'),
      );
    }
    newReq['storage'] = oldReq['storage'];
  }
  delete spec['volumeAttributesClassName'];
  delete oldSpec['volumeAttributesClassName'];
  if (!deepEqual(spec, oldSpec)) {
    errs.push(
      forbidden(
        'spec',
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      ),
    );
  }
  return errs;
}

export function pvcStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    defaults(pvc) {
      defaultPVCSpec(ensureObject(pvc, 'spec'));
      if (isObject(pvc['status'])) setDefault(pvc['status'], 'phase', 'Pending');
    },
    prepareForCreate(pvc) {
      pvc['status'] = { phase: 'Pending' };
    },
    validate: (pvc) => validatePVCSpec(specOf(pvc), 'spec'),
    validateUpdate: validatePVCUpdate,
    canonicalize(pvc) {
      const spec = specOf(pvc);
      if (isObject(spec['resources'])) {
        canonicalizeQuantityMap(spec['resources']['requests']);
        canonicalizeQuantityMap(spec['resources']['limits']);
      }
    },
  });
}
