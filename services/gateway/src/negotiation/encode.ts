// Writes object and list responses in the negotiated form. The hot path (plain JSON) never
// parses: objects go out as the bytes the backend sent, and lists are assembled by
// concatenating item bytes.
import type { Request } from 'express';
import { newBadRequest } from '@splitplane/apimachinery';
import {
  type IncludeObject,
  type KubeObject,
  type ListMeta,
  type ResourceDefinition,
  apiVersionOf,
  partialObjectMetadata,
  printerFor,
  toTable,
} from '@splitplane/scheme';
import { stringify as toYaml } from 'yaml';
import type { ListResponse } from '@splitplane/proto';
import { type OutputFormat, PROTOBUF_TYPE, negotiateOutput } from './media-type.js';
import { protobufCodec } from './protobuf.js';
import { wantsPretty } from '../errors/write-status.js';

export interface EncodedBody {
  contentType: string;
  body: Buffer | string;
}

/**
 * A body as the buffers to write in order (a JSON list: head, items, commas, tail), so a
 * 15 MiB list is never concatenated in JS; `length` is their total byte length.
 */
export interface EncodedParts {
  contentType: string;
  parts: readonly Buffer[];
  length: number;
}

/** Negotiates the response form for `def`'s kind (406 if nothing acceptable). */
export function negotiateFor(
  req: Request,
  def: ResourceDefinition,
  transforms = true,
): OutputFormat {
  return negotiateOutput(req.headers.accept, { protobuf: hasProtobuf(def), transforms });
}

// Whether a kind has a protobuf message never changes; asked on every request.
const protobufKinds = new WeakMap<ResourceDefinition, boolean>();

function hasProtobuf(def: ResourceDefinition): boolean {
  let known = protobufKinds.get(def);
  if (known === undefined) {
    const codec = protobufCodec();
    known = codec !== undefined && codec.hasProtobufMessage(apiVersionOf(def), def.kind);
    protobufKinds.set(def, known);
  }
  return known;
}

export function includeObjectOf(req: Request): IncludeObject {
  const raw = req.query.includeObject;
  if (raw === undefined || raw === '') return 'Metadata';
  if (raw === 'None' || raw === 'Metadata' || raw === 'Object') return raw;
  throw newBadRequest(`unrecognized includeObject value: ${JSON.stringify(String(raw))}`);
}

/** One object (or a Status a delete returned). */
export function encodeObject(
  req: Request,
  def: ResourceDefinition,
  format: OutputFormat,
  bytes: Buffer,
): EncodedBody {
  const pretty = wantsPretty(req);
  if (format.encoding === 'json' && format.transform === 'none' && !pretty) {
    return { contentType: format.contentType, body: withNewline(bytes) };
  }
  const obj = JSON.parse(bytes.toString('utf8')) as KubeObject;
  // A Status is never transformed.
  if (obj.kind === 'Status')
    return serialize(
      obj,
      { ...format, transform: 'none', contentType: format.contentType.split(';')[0]! },
      pretty,
    );
  if (format.transform === 'none') return serialize(obj, format, pretty);
  return serialize(
    transformObject(def, obj, format, includeObjectOf(req)),
    format,
    pretty,
    format.transform === 'table' ? 'Table' : 'PartialObjectMetadata',
  );
}

/** A ListResponse as `<Kind>List`, Table or PartialObjectMetadataList. */
export function encodeList(
  req: Request,
  def: ResourceDefinition,
  format: OutputFormat,
  list: ListResponse,
): EncodedBody | EncodedParts {
  const meta = listMetaOf(list);
  if (isPlainJson(req, format)) {
    const first = jsonListHead(def, meta);
    const parts = new Array<Buffer>(Math.max(1, list.items.length * 2) + 1);
    let length = first.length + Math.max(0, list.items.length - 1) + LIST_TAIL.length;
    let n = 0;
    parts[n++] = first;
    list.items.forEach((item, i) => {
      if (i > 0) parts[n++] = COMMA;
      parts[n++] = item;
      length += item.length;
    });
    parts[n++] = LIST_TAIL;
    parts.length = n;
    return { contentType: format.contentType, parts, length };
  }
  const items = list.items.map((b) => JSON.parse(b.toString('utf8')) as KubeObject);
  return encodeListObjects(req, def, format, meta, items);
}

/** Decoded list items as `<Kind>List`, Table or PartialObjectMetadataList. */
export function encodeListObjects(
  req: Request,
  def: ResourceDefinition,
  format: OutputFormat,
  meta: ListMeta,
  items: KubeObject[],
): EncodedBody {
  const pretty = wantsPretty(req);
  if (format.transform === 'table') {
    const table = toTable(printerFor(def), items, {
      includeObject: includeObjectOf(req),
      listMeta: meta,
    });
    return serialize(withMetaVersion(table, format), format, pretty, 'Table');
  }
  if (format.transform === 'partial') {
    const partial = {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${format.metaVersion}`,
      metadata: meta,
      items: items.map((o) => withMetaVersion(partialObjectMetadata(o), format)),
    };
    return serialize(partial, format, pretty, 'PartialObjectMetadataList');
  }
  return serialize(
    { kind: def.listKind, apiVersion: apiVersionOf(def), metadata: meta, items },
    format,
    pretty,
  );
}

/** Whether a response goes out as the backend's JSON bytes, untransformed and unindented. */
export function isPlainJson(req: Request, format: OutputFormat): boolean {
  return format.encoding === 'json' && format.transform === 'none' && !wantsPretty(req);
}

export function listMetaOf(list: Omit<ListResponse, 'items'>): ListMeta {
  const meta: ListMeta = { resourceVersion: list.resourceVersion };
  if (list.continue) meta.continue = list.continue;
  if (list.remainingItemCount !== undefined)
    meta.remainingItemCount = Number(list.remainingItemCount);
  return meta;
}

/** A JSON `<Kind>List` up to its first item: the items follow, comma-separated, then LIST_TAIL. */
export function jsonListHead(def: ResourceDefinition, meta: ListMeta): Buffer {
  return Buffer.from(
    `{"kind":${JSON.stringify(def.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(def))},"metadata":${JSON.stringify(meta)},"items":[`,
  );
}

/** One object as the Table or PartialObjectMetadata the format asks for. */
export function transformObject(
  def: ResourceDefinition,
  obj: KubeObject,
  format: OutputFormat,
  includeObject: IncludeObject,
): object {
  if (format.transform === 'table') {
    const table = toTable(printerFor(def), [obj], {
      includeObject,
      listMeta: { resourceVersion: obj.metadata?.resourceVersion },
    });
    return withMetaVersion(table, format);
  }
  return withMetaVersion(partialObjectMetadata(obj), format);
}

export const COMMA = Buffer.from(',');
export const LIST_TAIL = Buffer.from(']}\n');
const NEWLINE = 0x0a;

function withNewline(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === NEWLINE
    ? bytes
    : Buffer.concat([bytes, Buffer.from('\n')]);
}

function withMetaVersion<T extends object>(obj: T, format: OutputFormat): T {
  return format.metaVersion === 'v1'
    ? obj
    : { ...obj, apiVersion: `meta.k8s.io/${format.metaVersion}` };
}

function serialize(value: object, format: OutputFormat, pretty: boolean, as?: string): EncodedBody {
  const contentType = as
    ? `${format.contentType};as=${as};v=${format.metaVersion};g=meta.k8s.io`
    : format.contentType;
  switch (format.encoding) {
    case 'yaml':
      return { contentType, body: toYaml(value) };
    case 'protobuf': {
      const codec = protobufCodec();
      if (!codec) throw new Error('protobuf codec not loaded');
      return {
        contentType: PROTOBUF_TYPE,
        body: Buffer.from(codec.encodeObject(value as Record<string, unknown>)),
      };
    }
    default:
      return { contentType, body: JSON.stringify(value, null, pretty ? 2 : undefined) + '\n' };
  }
}
