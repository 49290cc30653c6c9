// JSON helpers shared by the patch types: decoding with Go-like error texts (kube's messages
// embed encoding/json errors), type names for messages, and Go's %v rendering.

import { PatchError } from './errors.js';
import { goJsonSyntaxError } from '../json/go-json-error.js';

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export class JsonSyntaxError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JsonSyntaxError';
  }
}

/** Parses bytes or text; throws JsonSyntaxError worded like Go's encoding/json. */
export function decodeJson(body: Uint8Array | string): unknown {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new JsonSyntaxError(goJsonSyntaxError(text), { cause: err });
  }
}

/** A patch body's JSON; a syntax error is kube's 400, its text after `prefix`. */
export function decodePatchJson(patchBytes: Uint8Array | string, prefix: string): unknown {
  try {
    return decodeJson(patchBytes);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw PatchError.badRequest(`${prefix}${err.message}`, err);
    throw err;
  }
}

/** The JSON kind in Go's "cannot unmarshal X into ..." messages. */
export function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'object':
      return 'object';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return typeof v;
  }
}

/** The Go type name of a decoded JSON value, for "expected a X, but received a Y". */
export function goTypeName(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'object':
      return 'map[string]interface {}';
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(v) ? 'int64' : 'float64';
    case 'boolean':
      return 'bool';
    default:
      return typeof v;
  }
}

/** Go's %v of a decoded JSON value: map[a:1 b:[x y]]. */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isObject(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goFormat(v[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** Assigns even a key named "__proto__" as plain data, never as the object's prototype. */
export function setProp(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else obj[key] = value;
}

/** An own property only: JSON keys like "__proto__" must never reach the prototype chain. */
export const hasOwn = (obj: JsonObject, key: string): boolean =>
  Object.prototype.hasOwnProperty.call(obj, key);

export const getOwn = (obj: JsonObject, key: string): unknown =>
  hasOwn(obj, key) ? obj[key] : undefined;
