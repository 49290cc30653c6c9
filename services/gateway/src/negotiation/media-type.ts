// Accept / Content-Type parsing and kube's output negotiation: JSON, YAML, protobuf, and the
// meta.k8s.io transformations (Table, PartialObjectMetadata[List]) selected by media-type
// parameters.
import { newNotAcceptable } from '@splitplane/apimachinery';

export const JSON_TYPE = 'application/json';
export const YAML_TYPE = 'application/yaml';
export const PROTOBUF_TYPE = 'application/vnd.kubernetes.protobuf';

/** What kube lists in its 406 and 415 answers. */
export const SUPPORTED_MEDIA_TYPES = [JSON_TYPE, YAML_TYPE, PROTOBUF_TYPE];

export interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

/** Parses an Accept header into ranges ordered by preference (q, then position). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || !header.trim()) return [];
  const ranges = header
    .split(',')
    .map((part) => parseMediaType(part))
    .filter((r): r is MediaRange => r !== undefined && r.q > 0);
  // Array.prototype.sort is stable: equal q keeps the client's order.
  return ranges.sort((a, b) => b.q - a.q);
}

export function parseMediaType(value: string): MediaRange | undefined {
  const [essence, ...paramParts] = value.split(';');
  const [type, subtype] = (essence ?? '').trim().toLowerCase().split('/');
  if (!type || !subtype) return undefined;
  const params: Record<string, string> = {};
  let q = 1;
  for (const p of paramParts) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    const val = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (key === 'q') q = Number.isFinite(Number(val)) ? Number(val) : 1;
    else params[key] = val;
  }
  return { type, subtype, params, q };
}

/** The media type of a request body without parameters (charset and the like). */
export function contentTypeEssence(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export type Encoding = 'json' | 'yaml' | 'protobuf';
export type Transform = 'none' | 'table' | 'partial';

export interface OutputFormat {
  encoding: Encoding;
  transform: Transform;
  /** meta.k8s.io version of the transformation (v1 or v1beta1). */
  metaVersion: string;
  /** For streams: the client asked for `;stream=watch`. */
  contentType: string;
}

export interface NegotiateOptions {
  /** Whether the response kind has a protobuf message. */
  protobuf: boolean;
  /** Allow as=Table / as=PartialObjectMetadata transformations (object and list responses). */
  transforms: boolean;
}

const META_VERSIONS = new Set(['v1', 'v1beta1']);

/** Picks the first acceptable representation, or throws 406 NotAcceptable as kube does. */
export function negotiateOutput(accept: string | undefined, opts: NegotiateOptions): OutputFormat {
  // Clients send the same few Accept headers over and over; remember the answers.
  if (accept !== undefined && accept.length > NEGOTIATED_MAX_HEADER) return negotiate(accept, opts);
  const key = `${opts.protobuf ? 1 : 0}${opts.transforms ? 1 : 0}${accept ?? ''}`;
  let format = negotiated.get(key);
  if (format === undefined) {
    format = Object.freeze(negotiate(accept, opts));
    if (negotiated.size >= NEGOTIATED_MAX) negotiated.clear();
    negotiated.set(key, format);
  }
  return format;
}

const NEGOTIATED_MAX = 256;
const NEGOTIATED_MAX_HEADER = 512;
const negotiated = new Map<string, OutputFormat>();

function negotiate(accept: string | undefined, opts: NegotiateOptions): OutputFormat {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return plain('json');
  for (const r of ranges) {
    const format = match(r, opts);
    if (format) return format;
  }
  throw newNotAcceptable(
    `only the following media types are accepted: ${SUPPORTED_MEDIA_TYPES.join(', ')}`,
  );
}

function match(r: MediaRange, opts: NegotiateOptions): OutputFormat | undefined {
  const as = r.params.as;
  if (as !== undefined) {
    if (!opts.transforms) return undefined;
    if (r.params.g !== 'meta.k8s.io' || !META_VERSIONS.has(r.params.v ?? '')) return undefined;
    const encoding = encodingOf(r);
    // Transformations are served as JSON or YAML; protobuf Tables are not offered.
    if (encoding !== 'json' && encoding !== 'yaml') return undefined;
    if (as === 'Table')
      return {
        encoding,
        transform: 'table',
        metaVersion: r.params.v!,
        contentType: typeOf(encoding),
      };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') {
      return {
        encoding,
        transform: 'partial',
        metaVersion: r.params.v!,
        contentType: typeOf(encoding),
      };
    }
    return undefined;
  }
  if ((r.type === '*' && r.subtype === '*') || (r.type === 'application' && r.subtype === '*'))
    return plain('json');
  const encoding = encodingOf(r);
  if (!encoding) return undefined;
  if (encoding === 'protobuf' && !opts.protobuf) return undefined;
  return plain(encoding);
}

function encodingOf(r: MediaRange): Encoding | undefined {
  if (r.type !== 'application') return undefined;
  if (r.subtype === 'json') return 'json';
  if (r.subtype === 'yaml') return 'yaml';
  if (r.subtype === 'vnd.kubernetes.protobuf') return 'protobuf';
  return undefined;
}

function typeOf(encoding: Encoding): string {
  return encoding === 'json' ? JSON_TYPE : encoding === 'yaml' ? YAML_TYPE : PROTOBUF_TYPE;
}

function plain(encoding: Encoding): OutputFormat {
  return { encoding, transform: 'none', metaVersion: 'v1', contentType: typeOf(encoding) };
}
