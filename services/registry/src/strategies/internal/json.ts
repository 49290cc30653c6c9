// Narrowing helpers for objects that arrive as arbitrary JSON: validation must never
// throw on a wrongly-typed field, it must report it (or skip it) instead.
import { deepCopyJson } from '@splitplane/apimachinery';

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value as an array of records, or [] when it is absent or not an array. */
export function objects<T = JsonObject>(v: unknown): T[] {
  return Array.isArray(v) ? (v.filter(isObject) as T[]) : [];
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A string map (labels, data, nodeSelector), ignoring non-string values. */
export function stringMap(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** Returns obj[key], creating an empty object there first when absent. */
export function ensureObject(obj: JsonObject, key: string): JsonObject {
  const cur = obj[key];
  if (isObject(cur)) return cur;
  const created: JsonObject = {};
  obj[key] = created;
  return created;
}

export function setDefault(obj: JsonObject, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** Structural equality of JSON values (key order-insensitive), as reflect.DeepEqual on decoded objects. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]));
}

/** kube's DeepCopy of a JSON value. */
export const clone = deepCopyJson;

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}
