// ReplicaSet strategy (pkg/registry/apps/replicaset + apps/v1 defaults).
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, validateImmutableField } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { validateReplicaSetStatus } from './status-validation.js';
import { type JsonObject, ensureObject, setDefault } from '../internal/json.js';
import { child } from '../internal/path.js';
import { canonicalizeTemplate } from '../core/pod-canonical.js';
import { templateWarnings } from '../core/pod-warnings.js';
import {
  defaultTemplate,
  specOf,
  validateNonnegativeField,
  validateTemplateForController,
  validateWorkloadSelector,
} from './workload-template.js';

export function defaultReplicaSet(obj: JsonObject): void {
  const spec = ensureObject(obj, 'spec');
  setDefault(spec, 'replicas', 1);
  defaultTemplate(spec);
}

export function validateReplicaSetSpec(obj: JsonObject): FieldError[] {
  const spec = specOf(obj);
  return [
    ...validateNonnegativeField(spec['replicas'], child('spec', 'replicas')),
    ...validateNonnegativeField(spec['minReadySeconds'], child('spec', 'minReadySeconds')),
    // kube's ReplicaSet message really says "deployment".
    ...validateWorkloadSelector(spec, 'spec', 'deployment'),
    ...validateTemplateForController(spec, 'spec', 'ReplicaSet'),
  ];
}

export function replicaSetStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    generation: 'spec',
    defaults: defaultReplicaSet,
    prepareForCreate: (obj) => {
      obj['status'] = { replicas: 0 };
    },
    validate: validateReplicaSetSpec,
    validateUpdate: (obj, old) =>
      validateImmutableField(specOf(obj)['selector'], specOf(old)['selector'], 'spec.selector'),
    warnings: (obj) => templateWarnings(obj),
    validateStatus: validateReplicaSetStatus,
    canonicalize: canonicalizeTemplate,
  });
}
