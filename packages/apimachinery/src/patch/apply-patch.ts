// Dispatch on the PATCH request's Content-Type, as kube's patch handler does. Server-side apply
// (application/apply-patch+yaml) is not handled here; route it elsewhere before calling.
import { newUnsupportedMediaType } from '../errors/index.js';
import { PatchError } from './errors.js';
import { type JsonObject, decodePatchJson, goJsonKind, isObject } from './json.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch, decodeMergePatch } from './merge-patch.js';
import type { PatchMetaLookup } from './patch-meta.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** What kube lists in its 415 for built-in kinds, and for custom resources (no strategic). */
export const BUILTIN_PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];
export const CUSTOM_RESOURCE_PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];

/**
 * Applies a patch body of the given Content-Type to `obj` and returns the new object.
 * `meta` describes the kind for strategic merge; without it (custom resources) strategic
 * merge patches are refused with 415 as kube refuses them.
 * Throws StatusErrors: 400/413/422 from the patch, 415 for unsupported types.
 */
export function applyPatch(
  contentType: string,
  obj: JsonObject,
  patchBytes: Uint8Array | string,
  meta: PatchMetaLookup | undefined,
): JsonObject {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const accepted = meta ? BUILTIN_PATCH_TYPES : CUSTOM_RESOURCE_PATCH_TYPES;
  switch (type) {
    case JSON_PATCH:
      return applyJsonPatch(obj, patchBytes);
    case MERGE_PATCH:
      return applyMergePatch(obj, decodeMergePatch(patchBytes));
    case STRATEGIC_MERGE_PATCH:
      if (!meta) throw newUnsupportedMediaType(contentType, accepted);
      return applyStrategicMergePatch(obj, decodeStrategicMergePatch(patchBytes), meta);
    default:
      throw newUnsupportedMediaType(contentType, accepted);
  }
}

/** The body must be a JSON object; kube's messages here carry no prefix. */
export function decodeStrategicMergePatch(patchBytes: Uint8Array | string): JsonObject {
  const body = decodePatchJson(patchBytes, '');
  if (body === null) return {};
  if (!isObject(body)) {
    throw PatchError.badRequest(
      `json: cannot unmarshal ${goJsonKind(body)} into Go value of type map[string]interface {}`,
    );
  }
  return body;
}
