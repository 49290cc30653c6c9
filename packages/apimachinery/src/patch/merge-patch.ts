// RFC 7386 JSON merge patch (application/merge-patch+json): objects merge recursively, null
// deletes, everything else (lists included) replaces.
import { deepCopyJson } from '../json/deep-copy.js';
import { PatchError } from './errors.js';
import { type JsonObject, decodePatchJson, getOwn, goJsonKind, isObject, setProp } from './json.js';

/** Applies a decoded merge patch to `obj`, returning a new object. */
export function applyMergePatch(obj: JsonObject, patch: JsonObject): JsonObject {
  return mergeInto(deepCopyJson(obj), patch);
}

/** Decodes the body as kube does: it must be a JSON object (400 otherwise). */
export function decodeMergePatch(patchBytes: Uint8Array | string): JsonObject {
  const body = decodePatchJson(patchBytes, 'error decoding patch: ');
  if (body === null) throw PatchError.badRequest('Invalid JSON Patch');
  if (!isObject(body)) {
    throw PatchError.badRequest(
      `error decoding patch: json: cannot unmarshal ${goJsonKind(body)} into Go value of type map[string]interface {}`,
    );
  }
  return body;
}

function mergeInto(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else if (isObject(v) && isObject(getOwn(target, k)))
      setProp(target, k, mergeInto(getOwn(target, k) as JsonObject, v));
    else setProp(target, k, pruneNulls(v));
  }
  return target;
}

/** A value added whole carries no nulls: they would mean "delete" at a level that is new. */
function pruneNulls(v: unknown): unknown {
  if (!isObject(v)) return deepCopyJson(v);
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) setProp(out, k, pruneNulls(x));
  return out;
}
