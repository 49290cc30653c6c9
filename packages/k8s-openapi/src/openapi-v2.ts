import { definitions } from './definitions.js';
import type { Definitions, Schema } from './schema.js';
import type { Info, V2Paths } from './swagger.js';

/** The /openapi/v2 document. */
export interface SwaggerDocument {
  swagger: '2.0';
  info: Info;
  paths: V2Paths;
  definitions: Definitions;
  securityDefinitions: Readonly<Record<string, Schema>>;
  security: readonly Readonly<Record<string, readonly string[]>>[];
}

/** Bearer tokens in the Authorization header, as kube-apiserver declares. */
export const BEARER_TOKEN_SCHEME = {
  BearerToken: {
    type: 'apiKey',
    name: 'authorization',
    in: 'header',
    description: 'Bearer Token authentication',
  },
} as const;

/**
 * Assembles the swagger 2.0 document: the gateway's paths (see
 * pathsForResource) plus every built-in definition, and any extra
 * definitions such as those of custom resources (which win on a name clash).
 */
export function openApiV2(
  paths: V2Paths,
  info: Info,
  extraDefinitions: Definitions = {},
): SwaggerDocument {
  return {
    swagger: '2.0',
    info,
    paths,
    definitions: { ...definitions(), ...extraDefinitions },
    securityDefinitions: BEARER_TOKEN_SCHEME,
    security: [{ BearerToken: [] }],
  };
}
