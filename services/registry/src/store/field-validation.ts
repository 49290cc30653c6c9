// fieldValidation=Strict|Warn|Ignore for built-in kinds: unknown fields are a 400 (Strict),
// warnings (Warn, the default), or silently dropped (Ignore). Either way they are never stored,
// because kube decodes into Go structs that have no place for them.
import { newBadRequest } from '@splitplane/apimachinery';
import { typeErrors, unknownFields, resolve } from '@splitplane/k8s-openapi';
import type { KubeObject, ResourceDefinition } from '@splitplane/scheme';
import type { FieldValidation } from './context.js';

export function parseFieldValidation(value: string): FieldValidation {
  switch (value) {
    case '':
    case 'Warn':
      return 'Warn';
    case 'Strict':
    case 'Ignore':
      return value;
    default:
      throw newBadRequest(
        `fieldValidation parameter unsupported: ${value}. Valid values are Ignore, Warn, Strict`,
      );
  }
}

/**
 * Checks `obj` as kube's decoder does: a value of the wrong JSON type is a 400 whatever the
 * directive (Go cannot decode it into the typed struct); unknown fields are then handled per
 * the directive, pruned, and returned as warnings.
 */
export function enforceFieldValidation(
  obj: KubeObject,
  def: ResourceDefinition,
  mode: FieldValidation,
): string[] {
  if (!resolve(def.openapiName)) return [];
  const [typeError] = typeErrors(def.openapiName, obj);
  if (typeError) {
    throw newBadRequest(
      `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${typeError.goMessage}`,
    );
  }
  const unknown = unknownFields(def.openapiName, obj);
  if (unknown.length === 0) return [];
  if (mode === 'Strict') {
    throw newBadRequest(
      `strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
    );
  }
  for (const path of unknown) prune(obj, path);
  return mode === 'Warn' ? unknown.map((f) => `unknown field "${f}"`) : [];
}

/** Deletes the field at a path like `spec.template.spec.containers[0].imagee`. */
function prune(obj: unknown, path: string): void {
  const segments: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return;
    if (m[1]) segments.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) segments.push(Number(idx[1]));
  }
  let cur: unknown = obj;
  for (let i = 0; i < segments.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string | number, unknown>)[segments[i]!];
  }
  const last = segments[segments.length - 1];
  if (cur !== null && typeof cur === 'object' && !Array.isArray(cur) && typeof last === 'string') {
    delete (cur as Record<string, unknown>)[last];
  }
}
