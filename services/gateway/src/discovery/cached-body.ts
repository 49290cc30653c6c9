// Serialized documents with strong ETags, rebuilt only when the Scheme changes, plus
// the conditional-GET answer (If-None-Match -> 304) both discovery and OpenAPI use.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Scheme } from '@splitplane/scheme';
import { SchemeMemo } from './scheme-cache.js';

export interface CachedBody {
  body: Buffer;
  etag: string;
}

export function cachedBody(body: string | Buffer): CachedBody {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  return { body: buf, etag: `"${createHash('sha256').update(buf).digest('hex').slice(0, 32)}"` };
}

/** Per-key documents derived from the Scheme; all keys are dropped when it changes. */
export class SchemeDocumentCache {
  private readonly memo: SchemeMemo<Map<string, CachedBody | undefined>>;

  constructor(scheme: Scheme) {
    this.memo = new SchemeMemo(scheme, () => new Map());
  }

  /** `build` returns undefined for "not found"; that answer is cached too. */
  get(key: string, build: () => string | Buffer | undefined): CachedBody | undefined {
    const docs = this.memo.get();
    if (!docs.has(key)) {
      const body = build();
      docs.set(key, body === undefined ? undefined : cachedBody(body));
    }
    return docs.get(key);
  }
}

/** True when the request's If-None-Match names `etag` (or is "*"). */
export function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  const tags = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
}

/** Writes a cached document with its ETag, or 304 when the client already has it. */
export function sendCached(
  req: IncomingMessage,
  res: ServerResponse,
  doc: CachedBody,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('ETag', doc.etag);
  if (notModified(req, doc.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', String(doc.body.length));
  res.end(req.method === 'HEAD' ? undefined : doc.body);
}
