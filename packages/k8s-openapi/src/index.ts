export type { Definitions, GroupVersionKind, Schema } from './schema.js';
export { definitions, definitionNameForGVK, v3Definitions } from './definitions.js';

export { SchemaWalker, parseFieldPath, type FieldPath, type PatchMeta } from './schema-walker.js';
export {
  mergeKeyAt,
  patchMetaFor,
  resolve,
  schemaWalker,
  typeErrors,
  unknownFields,
} from './builtin.js';
export { findUnknownFields } from './unknown-fields.js';
export { findTypeErrors, type FieldTypeError } from './type-errors.js';

export type { Info, V2Operation, V2Parameter, V2PathItem, V2Paths } from './swagger.js';
export {
  groupVersionPrefix,
  pathsForResource,
  type ResourceInfo,
  type SubresourceInfo,
} from './paths.js';
export { openApiV2, type SwaggerDocument } from './openapi-v2.js';
export {
  contentHash,
  groupVersionPath,
  openApiV3ForGroupVersion,
  openApiV3Index,
  serverRelativeURL,
  toV3PathItem,
  type GroupVersion,
  type GroupVersionDocument,
  type OpenApiV3Document,
  type OpenApiV3Options,
} from './openapi-v3.js';
export { toV3Schema } from './schema-v3.js';
export { encodeOpenApiV2Protobuf, gnosticV2Message, gnosticV2Root } from './gnostic-v2.js';
export { gnosticYaml } from './gnostic-yaml.js';
