// What every verb handler gets: the resolved resource, the request context, the query, and
// the backend clients; plus the helpers that build RequestAttributes and write responses.
import type { Request, Response } from 'express';
import type { ResourceDefinition, Scheme } from '@splitplane/scheme';
import type {
  ObjectResponse,
  RegistryClient,
  RequestAttributes,
  WatchCacheClient,
  WriteResponse,
} from '@splitplane/proto';
import type { RequestContext } from '../request-context.js';
import type { FeedHub } from '../watch/feed-hub.js';
import type { CallScope } from '../backends/unary.js';
import type { WriteOptions } from './options.js';
import {
  type EncodedBody,
  type EncodedParts,
  encodeObject,
  negotiateFor,
} from '../negotiation/encode.js';
import { addWarnings } from '../negotiation/warnings.js';
import { recordAuditAnnotations } from './audit-annotations.js';

export interface HandlerDeps {
  scheme: Scheme;
  registry: RegistryClient;
  watchCache: WatchCacheClient;
  maxRequestBodyBytes: number;
  /** kube's --min-request-timeout: watches without timeoutSeconds last a random 1-2x this. */
  minRequestTimeoutSeconds: number;
  /** The resource feeds watches are served from; absent (no NATS) answers watches with 503. */
  watchHub?: FeedHub;
  /** --watch-bookmark-interval in ms (default 60 s, kube's bookmark frequency). */
  watchBookmarkIntervalMs?: number;
  /** Bytes a watcher may have queued before it is ended as too slow. */
  watchMaxQueueBytes?: number;
  /** How long a watcher's socket may stay unwritable before it is ended as too slow. */
  watchMaxUnwritableMs?: number;
}

export interface ResourceRequest {
  req: Request;
  res: Response;
  ctx: RequestContext;
  def: ResourceDefinition;
  query: URLSearchParams;
  deps: HandlerDeps;
}

export function attributes(
  r: ResourceRequest,
  opts: Partial<WriteOptions> = {},
): RequestAttributes {
  const { info } = r.ctx;
  return {
    user: r.ctx.user,
    resource: { group: r.def.group, version: r.def.version, resource: r.def.plural },
    namespace: r.def.namespaced ? info.namespace : '',
    name: info.name,
    subresource: info.subresource,
    dryRun: opts.dryRun ?? false,
    fieldManager: opts.fieldManager ?? '',
    fieldValidation: opts.fieldValidation ?? '',
    auditId: r.ctx.auditId,
  };
}

export function scopeOf(r: ResourceRequest): CallScope {
  return { deadline: r.ctx.deadline, abortable: r.ctx, auditId: r.ctx.auditId };
}

/** Sends a body unless the timeout filter already answered. */
export function send(
  r: ResourceRequest,
  code: number,
  encoded: EncodedBody | EncodedParts,
  warnings: readonly string[] = [],
): void {
  if (r.ctx.timedOut || r.res.headersSent) return;
  addWarnings(r.res, warnings);
  r.res.status(code);
  r.res.setHeader('Content-Type', encoded.contentType);
  r.res.setHeader('Cache-Control', 'no-cache, private');
  if (r.req.method === 'HEAD') {
    r.res.end();
    return;
  }
  if (!('parts' in encoded)) {
    r.res.end(encoded.body);
    return;
  }
  // The headers res.end(oneBuffer) would send, then the parts corked so they leave as one
  // writev rather than being concatenated first; end() uncorks.
  r.res.setHeader('Content-Length', String(encoded.length));
  r.res.cork();
  for (const part of encoded.parts) r.res.write(part);
  r.res.end();
}

/**
 * An ObjectResponse from a backend, in the negotiated form, with its code and warnings; a
 * registry write's audit annotations are recorded on the way.
 */
export function sendObject(
  r: ResourceRequest,
  response: ObjectResponse | WriteResponse,
  defaultCode = 200,
): void {
  if ('auditAnnotations' in response)
    recordAuditAnnotations(r, response.auditAnnotations, response.object);
  const format = negotiateFor(r.req, r.def);
  send(
    r,
    response.code || defaultCode,
    encodeObject(r.req, r.def, format, response.object),
    response.warnings,
  );
}

export function queryOf(req: Request): URLSearchParams {
  const q = req.originalUrl.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : req.originalUrl.slice(q + 1));
}
