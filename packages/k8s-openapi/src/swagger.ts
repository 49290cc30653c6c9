import type { GroupVersionKind, Schema } from './schema.js';

/** Swagger 2.0 parameter object (the forms kube emits). */
export interface V2Parameter {
  name: string;
  in: 'query' | 'path' | 'body';
  description?: string;
  required?: boolean;
  type?: string;
  uniqueItems?: boolean;
  schema?: Schema;
}

export interface V2Response {
  description: string;
  schema?: Schema;
}

/** Swagger 2.0 operation with kube's extensions. */
export interface V2Operation {
  description?: string;
  operationId: string;
  consumes?: readonly string[];
  produces?: readonly string[];
  schemes?: readonly string[];
  tags?: readonly string[];
  parameters?: readonly V2Parameter[];
  responses: Readonly<Record<string, V2Response>>;
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind'?: GroupVersionKind;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type V2PathItem = { [M in HttpMethod]?: V2Operation } & {
  parameters?: readonly V2Parameter[];
};

export type V2Paths = Readonly<Record<string, V2PathItem>>;

export interface Info {
  title: string;
  version: string;
  [extension: string]: unknown;
}
