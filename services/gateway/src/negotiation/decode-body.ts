// Request bodies -> Kubernetes JSON bytes for the registry. JSON is checked for syntax only
// (and passed through as sent); YAML and protobuf are converted. Malformed bodies get kube's
// 400 wording; other content types 415.
//
// Whether apiVersion/kind match the path is checked in one place only: the registry, which
// decodes against the scheme for every write (kube's "... in version ... cannot be handled
// as a ..." errors come from there).
import {
  goJsonSyntaxError,
  newBadRequest,
  newUnsupportedMediaType,
} from '@splitplane/apimachinery';
import { parseDocument } from 'yaml';
import {
  JSON_TYPE,
  PROTOBUF_TYPE,
  SUPPORTED_MEDIA_TYPES,
  YAML_TYPE,
  contentTypeEssence,
} from './media-type.js';
import { protobufCodec } from './protobuf.js';

/** Decodes an object body; `kind` is what the path expects, for kube's error messages. */
export function decodeObjectBody(
  body: Buffer,
  contentTypeHeader: string | undefined,
  kind: string,
): Buffer {
  // kube treats a missing Content-Type as JSON.
  const contentType = contentTypeEssence(contentTypeHeader) || JSON_TYPE;
  switch (contentType) {
    case JSON_TYPE:
      checkJson(body, kind);
      return body;
    case YAML_TYPE:
      return Buffer.from(JSON.stringify(yamlToObject(body, kind)));
    case PROTOBUF_TYPE: {
      const codec = protobufCodec();
      if (!codec) throw newUnsupportedMediaType(contentType, [JSON_TYPE, YAML_TYPE]);
      let obj: Record<string, unknown>;
      try {
        obj = codec.decodeObject(body);
      } catch (err) {
        throw unrecognized(
          kind,
          `couldn't decode protobuf body: ${(err as Error).message}`,
          body,
          err,
        );
      }
      return Buffer.from(JSON.stringify(obj));
    }
    default:
      throw newUnsupportedMediaType(contentType, SUPPORTED_MEDIA_TYPES);
  }
}

/** Parses a JSON/YAML/protobuf body into a plain object (DeleteOptions bodies). */
export function decodeToObject(
  body: Buffer,
  contentTypeHeader: string | undefined,
  kind: string,
): Record<string, unknown> {
  return JSON.parse(decodeObjectBody(body, contentTypeHeader, kind).toString('utf8')) as Record<
    string,
    unknown
  >;
}

function checkJson(body: Buffer, kind: string): void {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw unrecognized(
      kind,
      `couldn't get version/kind; json parse error: ${goJsonSyntaxError(body.toString('utf8'))}`,
      body,
      err,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw unrecognized(
      kind,
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonType(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
      body,
    );
  }
}

function yamlToObject(body: Buffer, kind: string): Record<string, unknown> {
  const doc = parseDocument(body.toString('utf8'), { version: '1.1', uniqueKeys: false });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    const where = line ? `line ${line}: ` : '';
    throw unrecognized(
      kind,
      `error converting YAML to JSON: yaml: ${where}${firstLine(err.message)}`,
      body,
      err,
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw unrecognized(
      kind,
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonType(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
      body,
    );
  }
  return value as Record<string, unknown>;
}

/** kube's transformDecodeError wording for bodies whose kind cannot even be read. */
function unrecognized(kind: string, detail: string, body: Buffer, cause?: unknown) {
  return newBadRequest(
    `the object provided is unrecognized (must be of type ${kind}): ${detail} (${summarizeData(body, 30)})`,
    cause,
  );
}

/** kube's summarizeData: the start of the body, as text if it looks like JSON, else hex. */
export function summarizeData(data: Buffer, maxLength: number): string {
  if (data.length === 0) return '<empty>';
  if (data[0] === 0x7b) {
    return data.length > maxLength
      ? `${data.subarray(0, maxLength).toString('utf8')} ...`
      : data.toString('utf8');
  }
  return data.length > maxLength
    ? `${data.subarray(0, maxLength).toString('hex')} ...`
    : data.toString('hex');
}

function goJsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'null';
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
