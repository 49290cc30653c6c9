// RuntimeClass strategy (node.k8s.io/v1; kube's ValidateRuntimeClass and
// ValidateRuntimeClassUpdate).
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, duplicate, validateImmutableField } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, isObject, objects } from '../internal/json.js';
import { NAME_DNS_LABEL, each, validateLabels } from '../internal/meta.js';
import { index } from '../internal/path.js';
import { validateTolerations } from '../core/pod-spec-validation.js';
import { validateResourceRequirements } from '../core/resources-validation.js';

// kube validates podFixed as the limits of a ResourceRequirements, so errors read
// "overhead.limits[cpu]".
function validateOverhead(overhead: unknown): FieldError[] {
  if (!isObject(overhead)) return [];
  return validateResourceRequirements({ limits: overhead['podFixed'] ?? {} }, 'overhead');
}

function validateScheduling(scheduling: JsonObject): FieldError[] {
  const errs = validateLabels(scheduling['nodeSelector'], 'scheduling.nodeSelector');
  const tolerations = scheduling['tolerations'];
  errs.push(...validateTolerations(tolerations, 'scheduling.tolerations'));
  // Tolerations are a set keyed by key, operator, value and effect.
  const seen = new Set<string>();
  objects(tolerations).forEach((t, i) => {
    const listKey = JSON.stringify([t['key'], t['operator'], t['value'], t['effect']]);
    if (seen.has(listKey)) errs.push(duplicate(index('scheduling.tolerations', i), t));
    seen.add(listKey);
  });
  return errs;
}

export function validateRuntimeClass(rc: JsonObject): FieldError[] {
  const handler = typeof rc['handler'] === 'string' ? rc['handler'] : '';
  const errs = each('handler', handler, NAME_DNS_LABEL(handler, false));
  errs.push(...validateOverhead(rc['overhead']));
  if (isObject(rc['scheduling'])) errs.push(...validateScheduling(rc['scheduling']));
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
