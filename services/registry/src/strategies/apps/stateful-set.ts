// StatefulSet strategy (pkg/registry/apps/statefulset + apps/v1 defaults + apps validation).
// As in kube, the template's PodSpec is not validated here (its volumes may name
// volumeClaimTemplates), only its labels/annotations and restart policy.
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
import { validateStatefulSetStatus } from './status-validation.js';
import {
  type JsonObject,
  clone,
  deepEqual,
  ensureObject,
  isObject,
  objects,
  setDefault,
} from '../internal/json.js';
import { NAME_DNS_LABEL, validateAnnotations, validateLabels } from '../internal/meta.js';
import { child, index } from '../internal/path.js';
import { canonicalizeTemplate } from '../core/pod-canonical.js';
import { templateWarnings } from '../core/pod-warnings.js';
import {
  validatePositiveIntOrPercent,
  intOrPercentValue,
  isNotMoreThan100Percent,
} from './int-or-percent.js';
import {
  SELECTOR_MISMATCH,
  defaultTemplate,
  selectorMatchesTemplate,
  specOf,
  templateLabels,
  templateOf,
  validateAlwaysRestart,
  validateNonnegativeField,
  validateWorkloadSelector,
} from './workload-template.js';

const RETENTION = ['Retain', 'Delete'];

export function defaultStatefulSet(obj: JsonObject): void {
  const spec = ensureObject(obj, 'spec');
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = ensureObject(spec, 'updateStrategy');
  if (strategy['type'] === undefined || strategy['type'] === '') strategy['type'] = 'RollingUpdate';
  if (strategy['type'] === 'RollingUpdate')
    setDefault(ensureObject(strategy, 'rollingUpdate'), 'partition', 0);
  const retention = ensureObject(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  for (const pvc of objects(spec['volumeClaimTemplates'])) {
    setDefault(pvc, 'apiVersion', 'v1');
    setDefault(pvc, 'kind', 'PersistentVolumeClaim');
    setDefault(ensureObject(pvc, 'spec'), 'volumeMode', 'Filesystem');
    setDefault(pvc, 'status', { phase: 'Pending' });
  }
  defaultTemplate(spec);
}

export function validateStatefulSetSpec(obj: JsonObject): FieldError[] {
  const spec = specOf(obj);
  const path = 'spec';
  const errs: FieldError[] = [];
  const pmp = spec['podManagementPolicy'];
  if (pmp === undefined || pmp === null || pmp === '')
    errs.push(required(child(path, 'podManagementPolicy'), ''));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') {
    errs.push(
      invalid(child(path, 'podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"),
    );
  }
  errs.push(...validateUpdateStrategy(spec['updateStrategy'], child(path, 'updateStrategy')));
  const retention = spec['persistentVolumeClaimRetentionPolicy'];
  if (isObject(retention)) {
    for (const f of ['whenDeleted', 'whenScaled']) {
      if (!RETENTION.includes(String(retention[f]))) {
        errs.push(
          notSupported(
            child(path, 'persistentVolumeClaimRetentionPolicy', f),
            retention[f] ?? '',
            RETENTION,
          ),
        );
      }
    }
  }
  errs.push(...validateNonnegativeField(spec['replicas'], child(path, 'replicas')));
  errs.push(...validateNonnegativeField(spec['minReadySeconds'], child(path, 'minReadySeconds')));
  if (isObject(spec['ordinals'])) {
    errs.push(
      ...validateNonnegativeField(spec['ordinals']['start'] ?? 0, child(path, 'ordinals.start')),
    );
  }
  errs.push(...validateWorkloadSelector(spec, path, 'statefulset'));
  const tPath = child(path, 'template');
  const template = templateOf(spec);
  if (!template) errs.push(required(tPath, ''));
  else {
    if (!selectorMatchesTemplate(spec)) {
      errs.push(
        invalid(child(tPath, 'metadata', 'labels'), templateLabels(template), SELECTOR_MISMATCH),
      );
    }
    const meta = isObject(template['metadata']) ? template['metadata'] : {};
    // kube's paths here really are template.labels / template.annotations.
    errs.push(...validateLabels(meta['labels'], child(tPath, 'labels')));
    errs.push(...validateAnnotations(meta['annotations'], child(tPath, 'annotations')));
  }
  errs.push(...validateAlwaysRestart(template ?? {}, tPath, 'StatefulSet'));
  objects(spec['volumeClaimTemplates']).forEach((pvc, i) => {
    const p = index(child(path, 'volumeClaimTemplates'), i);
    const pvcSpec = isObject(pvc['spec']) ? pvc['spec'] : {};
    if (!Array.isArray(pvcSpec['accessModes']) || pvcSpec['accessModes'].length === 0) {
      errs.push(required(child(p, 'spec', 'accessModes'), 'at least 1 access mode is required'));
    }
  });
  return errs;
}

function validateUpdateStrategy(strategy: unknown, path: string): FieldError[] {
  const s = isObject(strategy) ? strategy : {};
  const ru = s['rollingUpdate'];
  switch (s['type']) {
    case undefined:
    case '':
      return [required(path, '')];
    case 'OnDelete':
      return ru !== undefined && ru !== null
        ? [
            invalid(
              child(path, 'rollingUpdate'),
              ru,
              "only allowed for updateStrategy 'RollingUpdate'",
            ),
          ]
        : [];
    case 'RollingUpdate': {
      if (!isObject(ru)) return [];
      const p = child(path, 'rollingUpdate');
      const errs = validateNonnegativeField(ru['partition'] ?? 0, child(p, 'partition'));
      const mu = ru['maxUnavailable'];
      if (mu !== undefined && mu !== null) {
        errs.push(...validatePositiveIntOrPercent(mu, child(p, 'maxUnavailable')));
        if (intOrPercentValue(mu) === 0)
          errs.push(invalid(child(p, 'maxUnavailable'), mu, 'cannot be 0'));
        errs.push(...isNotMoreThan100Percent(mu, child(p, 'maxUnavailable')));
      }
      return errs;
    }
    default:
      return [invalid(path, s, "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

const UPDATABLE = [
  'replicas',
  'template',
  'updateStrategy',
  'minReadySeconds',
  'ordinals',
  'persistentVolumeClaimRetentionPolicy',
];

function validateStatefulSetSpecUpdate(obj: JsonObject, old: JsonObject): FieldError[] {
  const spec = clone(specOf(obj));
  const oldSpec = specOf(old);
  for (const f of UPDATABLE) {
    if (oldSpec[f] === undefined) delete spec[f];
    else spec[f] = oldSpec[f];
  }
  if (deepEqual(spec, oldSpec)) return [];
  return [
    forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

export function statefulSetStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    nameRule: NAME_DNS_LABEL,
    generation: 'spec',
    defaults: defaultStatefulSet,
    prepareForCreate: (obj) => {
      obj['status'] = { replicas: 0, availableReplicas: 0 };
    },
    validate: validateStatefulSetSpec,
    validateUpdate: validateStatefulSetSpecUpdate,
    warnings: (obj) => templateWarnings(obj),
    validateStatus: validateStatefulSetStatus,
    canonicalize: canonicalizeTemplate,
  });
}
