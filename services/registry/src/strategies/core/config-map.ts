// ConfigMap and Secret data rules (kube's ValidateConfigMap / ValidateSecret and their
// update variants): ConfigMap-key names, 1 MiB total, `immutable: true` freezes data.
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, forbidden, invalid, tooLong } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, deepEqual, isObject } from '../internal/json.js';
import { each, isConfigMapKey } from '../internal/meta.js';
import { key } from '../internal/path.js';

/** core.MaxSecretSize, which ConfigMaps share. */
export const MAX_DATA_SIZE = 1024 * 1024;
export const IMMUTABLE_MSG = 'field is immutable when `immutable` is set';

export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Decoded size of a base64 value ([]byte fields travel as base64 in JSON). */
export function base64Size(s: string): number {
  return Buffer.from(s, 'base64').length;
}

export function validateConfigMapData(cm: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = isObject(cm['data']) ? cm['data'] : {};
  const binary = isObject(cm['binaryData']) ? cm['binaryData'] : {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...each(key('data', k), k, isConfigMapKey(k)));
    if (k in binary)
      errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    total += typeof v === 'string' ? byteLength(v) : 0;
  }
  for (const [k, v] of Object.entries(binary)) {
    errs.push(...each(key('binaryData', k), k, isConfigMapKey(k)));
    total += typeof v === 'string' ? base64Size(v) : 0;
  }
  // An empty path: the error concerns the whole object.
  if (total > MAX_DATA_SIZE) errs.push(tooLong('', MAX_DATA_SIZE));
  return errs;
}

export function validateImmutableData(
  obj: JsonObject,
  old: JsonObject,
  fields: string[],
): FieldError[] {
  if (old['immutable'] !== true) return [];
  const errs: FieldError[] = [];
  if (obj['immutable'] !== true) errs.push(forbidden('immutable', IMMUTABLE_MSG));
  for (const f of fields)
    if (!deepEqual(obj[f] ?? {}, old[f] ?? {})) errs.push(forbidden(f, IMMUTABLE_MSG));
  return errs;
}

export function configMapStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    validate: validateConfigMapData,
    validateUpdate: (obj, old) => validateImmutableData(obj, old, ['data', 'binaryData']),
  });
}
