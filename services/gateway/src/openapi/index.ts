export {
  openapiRouter,
  OpenApiHandlers,
  acceptsOpenApiJson,
  negotiateOpenApiV2,
  type OpenApiV2Encoding,
  OPENAPI_V2_PROTOBUF,
  OPENAPI_V2_PROTOBUF_RESPONSE,
  OPENAPI_V3_PROTOBUF,
} from './router.js';
export { OpenApiDocuments, DEFAULT_INFO, type OpenApiOptions } from './documents.js';
export { resourceInfoFor } from './resource-info.js';
