import { createHash } from 'node:crypto';

import { definitions, v3Definitions } from './definitions.js';
import { BEARER_TOKEN_SCHEME } from './openapi-v2.js';
import { pathsForResource, type ResourceInfo } from './paths.js';
import { refName, V3_REF_PREFIX } from './refs.js';
import type { Definitions, GroupVersionKind, Schema } from './schema.js';
import { toV3Schema } from './schema-v3.js';
import {
  HTTP_METHODS,
  type Info,
  type V2Operation,
  type V2Parameter,
  type V2PathItem,
  type V2Paths,
} from './swagger.js';

export interface GroupVersion {
  group: string;
  version: string;
}

export interface V3Parameter {
  name: string;
  in: 'query' | 'path';
  description?: string;
  required?: boolean;
  schema: Schema;
}

interface V3MediaType {
  schema: Schema;
}

export interface V3Operation {
  description?: string;
  operationId: string;
  tags?: readonly string[];
  parameters?: readonly V3Parameter[];
  requestBody?: { content: Record<string, V3MediaType>; required?: boolean };
  responses: Record<string, { description: string; content?: Record<string, V3MediaType> }>;
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind'?: GroupVersionKind;
}

export type V3PathItem = { [M in (typeof HTTP_METHODS)[number]]?: V3Operation } & {
  parameters?: readonly V3Parameter[];
};

/** One /openapi/v3/<path> document. */
export interface OpenApiV3Document {
  openapi: '3.0.0';
  info: Info;
  paths: Record<string, V3PathItem>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes: typeof BEARER_TOKEN_SCHEME;
  };
  security: readonly Readonly<Record<string, readonly string[]>>[];
}

/** A served v3 document with the serialized form and hash the gateway needs. */
export interface GroupVersionDocument {
  /** Index key and URL tail: "api/v1", "apis/apps/v1". */
  path: string;
  document: OpenApiV3Document;
  /** The exact bytes to serve; `hash` is computed over them. */
  json: string;
  /** Upper-case hex SHA-512 of `json`, as kube-apiserver computes its ETag and ?hash=. */
  hash: string;
}

export interface OpenApiV3Options {
  info?: Info;
  /** Schemas in v3 form (e.g. of custom resources), looked up before built-ins. */
  extraSchemas?: Definitions;
  /** More swagger 2.0 path items to include (converted), e.g. group discovery. */
  extraPaths?: V2Paths;
}

/** The path of a group-version in /openapi/v3: "api/v1" or "apis/<group>/<version>". */
export function groupVersionPath({ group, version }: GroupVersion): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/**
 * The /openapi/v3 discovery document, listing every served document with a
 * content hash so that clients (kubectl, client-go) can cache them forever:
 * {"paths": {"apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=..."}}}.
 * Serve a document requested with a stale hash as a 301 to the current URL,
 * as kube-apiserver does.
 */
export function openApiV3Index(documents: Iterable<{ path: string; hash: string }>): {
  paths: Record<string, { serverRelativeURL: string }>;
} {
  const entries = [...documents].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { path, hash } of entries)
    paths[path] = { serverRelativeURL: serverRelativeURL(path, hash) };
  return { paths };
}

export function serverRelativeURL(path: string, hash: string): string {
  return `/openapi/v3/${path}?hash=${encodeURIComponent(hash)}`;
}

/**
 * The OpenAPI 3.0 document of one group-version: the paths of its resources
 * and, in components.schemas, every schema they reference transitively
 * (Deployment pulls in ObjectMeta, PodSpec, Quantity, ...).
 */
export function openApiV3ForGroupVersion(
  gv: GroupVersion,
  resources: readonly ResourceInfo[],
  options: OpenApiV3Options = {},
): GroupVersionDocument {
  const v2paths: Record<string, V2PathItem> = {};
  for (const resource of resources) Object.assign(v2paths, pathsForResource(resource));
  Object.assign(v2paths, options.extraPaths ?? {});

  const paths: Record<string, V3PathItem> = {};
  for (const key of Object.keys(v2paths).sort()) paths[key] = toV3PathItem(v2paths[key]!);

  const document: OpenApiV3Document = {
    openapi: '3.0.0',
    info: options.info ?? { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: {
      schemas: referencedSchemas(paths, options.extraSchemas ?? {}),
      securitySchemes: BEARER_TOKEN_SCHEME,
    },
    security: [{ BearerToken: [] }],
  };
  const json = JSON.stringify(document);
  return { path: groupVersionPath(gv), document, json, hash: contentHash(json) };
}

export function contentHash(json: string): string {
  return createHash('sha512').update(json).digest('hex').toUpperCase();
}

// Built-in definitions never change at run time: convert each once.
const builtinV3 = new Map<string, Schema>();

/** The v3 form of a built-in definition. */
export function builtinV3Schema(name: string): Schema | undefined {
  let schema = builtinV3.get(name);
  if (schema === undefined) {
    const source = v3Definitions()[name] ?? definitions()[name];
    if (source === undefined) return undefined;
    schema = toV3Schema(source);
    builtinV3.set(name, schema);
  }
  return schema;
}

/** Every schema reachable from `root`'s refs, sorted by name. */
function referencedSchemas(root: unknown, extra: Definitions): Record<string, Schema> {
  const found = new Map<string, Schema>();
  const pending: string[] = [];
  const scan = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) scan(v);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(V3_REF_PREFIX)) {
        const name = refName(child);
        if (name !== undefined && !found.has(name) && !pending.includes(name)) pending.push(name);
      } else if (key !== 'default' && key !== 'example' && key !== 'enum') {
        scan(child);
      }
    }
  };
  scan(root);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const extraSchema = extra[name];
    const schema = extraSchema !== undefined ? toV3Schema(extraSchema) : builtinV3Schema(name);
    // A dangling ref is the caller's to fix; leave it visible rather than throw.
    if (schema === undefined) continue;
    found.set(name, schema);
    scan(schema);
  }
  const sorted: Record<string, Schema> = {};
  for (const name of [...found.keys()].sort()) sorted[name] = found.get(name)!;
  return sorted;
}

/** Converts a swagger 2.0 path item (as pathsForResource makes them) to OpenAPI 3.0. */
export function toV3PathItem(item: V2PathItem): V3PathItem {
  const out: V3PathItem = {};
  for (const method of HTTP_METHODS) {
    const operation = item[method];
    if (operation !== undefined) out[method] = toV3Operation(operation);
  }
  if (item.parameters !== undefined)
    out.parameters = item.parameters.filter(notBody).map(toV3Parameter);
  return out;
}

function toV3Operation(op: V2Operation): V3Operation {
  const out: V3Operation = {
    operationId: op.operationId,
    responses: {},
    'x-kubernetes-action': op['x-kubernetes-action'],
  };
  if (op.description !== undefined) out.description = op.description;
  const params = (op.parameters ?? []).filter(notBody).map(toV3Parameter);
  if (params.length > 0) out.parameters = params;
  const body = op.parameters?.find((p) => p.in === 'body');
  if (body?.schema !== undefined) {
    const schema = toV3Schema(body.schema);
    const content: Record<string, V3MediaType> = {};
    for (const media of op.consumes ?? ['*/*']) content[media] = { schema };
    out.requestBody = body.required === true ? { content, required: true } : { content };
  }
  for (const [code, response] of Object.entries(op.responses)) {
    if (response.schema === undefined) {
      out.responses[code] = { description: response.description };
      continue;
    }
    const schema = toV3Schema(response.schema);
    const content: Record<string, V3MediaType> = {};
    for (const media of op.produces ?? ['application/json']) content[media] = { schema };
    out.responses[code] = { content, description: response.description };
  }
  if (op.tags !== undefined) out.tags = op.tags;
  if (op['x-kubernetes-group-version-kind'] !== undefined)
    out['x-kubernetes-group-version-kind'] = op['x-kubernetes-group-version-kind'];
  return out;
}

const notBody = (p: V2Parameter): p is V2Parameter & { in: 'query' | 'path' } => p.in !== 'body';

function toV3Parameter(p: V2Parameter & { in: 'query' | 'path' }): V3Parameter {
  const schema: Schema = { type: p.type ?? 'string' };
  if (p.uniqueItems !== undefined) schema.uniqueItems = p.uniqueItems;
  const out: V3Parameter = { name: p.name, in: p.in, schema };
  if (p.description !== undefined) out.description = p.description;
  if (p.required !== undefined) out.required = p.required;
  return out;
}
