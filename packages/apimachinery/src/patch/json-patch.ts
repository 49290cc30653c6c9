// RFC 6902 JSON patch (application/json-patch+json). The operations are applied by
// fast-json-patch, a small, dependency-free and widely used implementation that validates
// operations and refuses prototype pollution; what we add is kube's decoding and status codes.
import jsonpatch from 'fast-json-patch';
import { PatchError } from './errors.js';
import { type JsonObject, decodePatchJson, goJsonKind, isObject } from './json.js';

/** kube-apiserver's cap on operations per JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/**
 * Decodes and applies a JSON patch to `obj` (which is left untouched).
 * 400 for a body that is not a list of operation objects, 413 past the operation cap,
 * 422 when an operation does not apply (failed `test`, missing path, unknown op).
 */
export function applyJsonPatch(obj: JsonObject, patchBytes: Uint8Array | string): JsonObject {
  const ops = decodeJsonPatch(patchBytes);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw PatchError.tooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  let result: unknown;
  try {
    result = jsonpatch.applyPatch(obj, ops as jsonpatch.Operation[], true, false, true).newDocument;
  } catch (err) {
    throw PatchError.unprocessable(err);
  }
  if (!isObject(result))
    throw PatchError.unprocessable(new Error('the patched document is not an object'));
  return result;
}

function decodeJsonPatch(patchBytes: Uint8Array | string): unknown[] {
  const body = decodePatchJson(patchBytes, 'error decoding patch: ');
  // Go decodes null into an empty list of operations.
  if (body === null) return [];
  if (!Array.isArray(body)) {
    throw PatchError.badRequest(
      `error decoding patch: json: cannot unmarshal ${goJsonKind(body)} into Go value of type []handlers.jsonPatchOp`,
    );
  }
  for (const op of body) {
    if (!isObject(op) && op !== null) {
      throw PatchError.badRequest(
        `error decoding patch: json: cannot unmarshal ${goJsonKind(op)} into Go value of type handlers.jsonPatchOp`,
      );
    }
  }
  return body.map((op) => op ?? {});
}
