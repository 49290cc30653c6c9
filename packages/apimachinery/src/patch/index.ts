export { PatchError, UNPROCESSABLE_MESSAGE } from './errors.js';
export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export { applyMergePatch, decodeMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export {
  EMPTY_PATCH_META,
  patchMetaAt,
  schemaPatchMeta,
  type PatchMeta,
  type PatchMetaLookup,
  type SchemaDefinitions,
  type SchemaNode,
} from './patch-meta.js';
export {
  applyPatch,
  decodeStrategicMergePatch,
  APPLY_PATCH,
  BUILTIN_PATCH_TYPES,
  CUSTOM_RESOURCE_PATCH_TYPES,
  JSON_PATCH,
  MERGE_PATCH,
  STRATEGIC_MERGE_PATCH,
} from './apply-patch.js';
