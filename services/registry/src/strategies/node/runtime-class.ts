// RuntimeClass strategy (node.k8s.io/v1; kube's ValidateRuntimeClass and
// ValidateRuntimeClassUpdate).
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, validateImmutableField } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, isObject } from '../internal/json.js';
import { NAME_DNS_LABEL, each, validateLabels } from '../internal/meta.js';
import { child } from '../internal/path.js';
import { validateResourceRequirements } from '../core/resources-validation.js';

// kube validates podFixed as the limits of a ResourceRequirements, so errors read
// "overhead.limits[cpu]".
function validateOverhead(overhead: unknown): FieldError[] {
  if (!isObject(overhead)) return [];
  return validateResourceRequirements({ limits: overhead['podFixed'] ?? {} }, 'overhead');
}

export function validateRuntimeClass(rc: JsonObject): FieldError[] {
  const handler = typeof rc['handler'] === 'string' ? rc['handler'] : '';
  const errs = each('handler', handler, NAME_DNS_LABEL(handler, false));
  errs.push(...validateOverhead(rc['overhead']));
  if (isObject(rc['scheduling'])) {
    errs.push(
      ...validateLabels(rc['scheduling']['nodeSelector'], child('scheduling', 'nodeSelector')),
    );
  }
  return errs;
}

export function validateRuntimeClassUpdate(rc: JsonObject, old: JsonObject): FieldError[] {
  return validateImmutableField(rc['handler'], old['handler'], 'handler');
}

export function runtimeClassStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    validate: validateRuntimeClass,
    validateUpdate: validateRuntimeClassUpdate,
  });
}
