// StorageClass strategy (storage.k8s.io/v1; kube's ValidateStorageClass,
// ValidateStorageClassUpdate and SetDefaults_StorageClass).
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type FieldError,
  duplicate,
  forbidden,
  invalid,
  notSupported,
  required,
  tooLong,
  validateImmutableField,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, deepEqual, isObject, objects, strings } from '../internal/json.js';
import { each, isQualifiedName } from '../internal/meta.js';
import { child, index } from '../internal/path.js';

const MAX_PARAMETER_COUNT = 512;
const MAX_PARAMETER_SIZE = 256 * 1024;
const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

function validateProvisioner(provisioner: unknown): FieldError[] {
  const p = typeof provisioner === 'string' ? provisioner : '';
  if (p === '') return [required('provisioner', '')];
  return each('provisioner', p.toLowerCase(), isQualifiedName(p.toLowerCase()));
}

function validateParameters(params: unknown): FieldError[] {
  if (!isObject(params)) return [];
  const entries = Object.entries(params);
  if (entries.length > MAX_PARAMETER_COUNT) {
    // kube passes a string where the limit belongs; it reports the count limit all the same.
    return [tooLong('parameters', MAX_PARAMETER_COUNT)];
  }
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of entries) {
    if (k.length < 1) errs.push(invalid('parameters', k, 'field can not be empty.'));
    size += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : '');
  }
  if (size > MAX_PARAMETER_SIZE) errs.push(tooLong('parameters', MAX_PARAMETER_SIZE));
  return errs;
}

/**
 * kube's ValidateTopologySelectorTerm per term (label-name keys, once each, with values),
 * and no term may repeat an earlier one (same keys with the same value sets).
 */
function validateAllowedTopologies(topologies: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const terms: string[] = [];
  objects(topologies).forEach((term, i) => {
    const termPath = index('allowedTopologies', i);
    const exprMap = new Map<string, string[]>();
    objects(term['matchLabelExpressions']).forEach((req, j) => {
      const p = index(child(termPath, 'matchLabelExpressions'), j);
      const key = typeof req['key'] === 'string' ? req['key'] : '';
      const values = strings(req['values']);
      if (values.length === 0) {
        errs.push(required(child(p, 'values'), 'must specify as least one value'));
      }
      const vs = new Set<string>();
      values.forEach((v, k) => {
        if (vs.has(v)) errs.push(duplicate(index(child(p, 'values'), k), v));
        vs.add(v);
      });
      errs.push(...each(child(p, 'key'), key, isQualifiedName(key)));
      if (exprMap.has(key)) errs.push(duplicate(child(p, 'key'), key));
      exprMap.set(key, [...vs].sort());
    });
    const canonical = JSON.stringify([...exprMap].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
    if (terms.includes(canonical)) {
      errs.push(duplicate(child(termPath, 'matchLabelExpressions'), ''));
    }
    terms.push(canonical);
  });
  return errs;
}

export function validateStorageClass(sc: JsonObject): FieldError[] {
  const errs = [...validateProvisioner(sc['provisioner']), ...validateParameters(sc['parameters'])];
  const policy = sc['reclaimPolicy'];
  if (typeof policy === 'string' && policy !== '' && !RECLAIM_POLICIES.includes(policy)) {
    errs.push(notSupported('reclaimPolicy', policy, RECLAIM_POLICIES));
  }
  const mode = sc['volumeBindingMode'];
  if (mode === undefined || mode === null) errs.push(required('volumeBindingMode', ''));
  else if (!BINDING_MODES.includes(mode as string)) {
    errs.push(notSupported('volumeBindingMode', mode, BINDING_MODES));
  }
  errs.push(...validateAllowedTopologies(sc['allowedTopologies']));
  return errs;
}

export function validateStorageClassUpdate(sc: JsonObject, old: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!deepEqual(sc['parameters'] ?? {}, old['parameters'] ?? {})) {
    errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  }
  if ((sc['provisioner'] ?? '') !== (old['provisioner'] ?? '')) {
    errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  }
  if (sc['reclaimPolicy'] !== old['reclaimPolicy']) {
    errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  }
  errs.push(
    ...validateImmutableField(
      sc['volumeBindingMode'],
      old['volumeBindingMode'],
      'volumeBindingMode',
    ),
  );
  return errs;
}

export function storageClassStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    defaults(sc) {
      if (sc['reclaimPolicy'] === undefined || sc['reclaimPolicy'] === null) {
        sc['reclaimPolicy'] = 'Delete';
      }
      if (sc['volumeBindingMode'] === undefined || sc['volumeBindingMode'] === null) {
        sc['volumeBindingMode'] = 'Immediate';
      }
    },
    validate: validateStorageClass,
    validateUpdate: validateStorageClassUpdate,
  });
}
