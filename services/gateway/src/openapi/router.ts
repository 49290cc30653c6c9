// Routes for /openapi/v2, /openapi/v3 and /openapi/v3/<api/v1 | apis/<g>/<v>>: content
// negotiation, ETags and 304s, and the long-lived caching kube grants ?hash= URLs.
import { newNotAcceptable, newPathNotFound } from '@splitplane/apimachinery';
import { serverRelativeURL } from '@splitplane/k8s-openapi';
import type { Scheme } from '@splitplane/scheme';
import { type Request, type Response, Router } from 'express';
import { cachedBody, sendCached } from '../discovery/cached-body.js';
import { parseAccept } from '../negotiation/media-type.js';
import { type OpenApiOptions, OpenApiDocuments } from './documents.js';

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
export const OPENAPI_V3_PROTOBUF = 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf';
/** What kube answers protobuf v2 requests with (either accepted spelling). */
export const OPENAPI_V2_PROTOBUF_RESPONSE =
  'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

export type OpenApiV2Encoding = 'json' | 'protobuf';

// kube-openapi's table: each entry is matched by type/subtype (or wildcards) against the
// client's ranges in preference order; the first hit wins, so "*/*" means JSON.
const V2_ACCEPTED: readonly { subtype: string; encoding: OpenApiV2Encoding }[] = [
  { subtype: 'json', encoding: 'json' },
  { subtype: 'com.github.proto-openapi.spec.v2@v1.0+protobuf', encoding: 'protobuf' },
  { subtype: 'com.github.proto-openapi.spec.v2.v1.0+protobuf', encoding: 'protobuf' },
];

/**
 * The /openapi/v2 representation for an Accept header: JSON, or gnostic's protobuf
 * Document. No header means JSON; nothing acceptable is 406.
 */
export function negotiateOpenApiV2(accept: string | undefined): OpenApiV2Encoding {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return 'json';
  for (const r of ranges) {
    if (r.type !== 'application' && r.type !== '*') continue;
    const hit = V2_ACCEPTED.find((a) => r.subtype === '*' || r.subtype === a.subtype);
    if (hit) return hit.encoding;
  }
  throw newNotAcceptable(
    `only the following media types are accepted: application/json, ${OPENAPI_V2_PROTOBUF_RESPONSE}`,
  );
}

/**
 * The v3 documents are served as JSON only; a client that accepts only their gnostic
 * protobuf form gets 406, as from a server without it.
 */
export function acceptsOpenApiJson(accept: string | undefined, protobufType: string): boolean {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return true;
  for (const r of ranges) {
    const full = `${r.type}/${r.subtype}`;
    if (full === '*/*' || full === 'application/*' || full === 'application/json') return true;
  }
  throw newNotAcceptable(
    `only the following media types are accepted: application/json (not ${protobufType})`,
  );
}

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export class OpenApiHandlers {
  readonly documents: OpenApiDocuments;

  constructor(scheme: Scheme, options: OpenApiOptions = {}) {
    this.documents = new OpenApiDocuments(scheme, options);
  }

  /** GET /openapi/v2 */
  readonly v2 = (req: Request, res: Response): void => {
    res.setHeader('Vary', 'Accept');
    if (negotiateOpenApiV2(req.headers.accept) === 'protobuf') {
      sendCached(req, res, this.documents.v2Protobuf(), OPENAPI_V2_PROTOBUF_RESPONSE);
      return;
    }
    sendCached(req, res, this.documents.v2(), 'application/json');
  };

  /** GET /openapi/v3 */
  readonly v3Index = (req: Request, res: Response): void => {
    res.setHeader('Vary', 'Accept');
    acceptsOpenApiJson(req.headers.accept, OPENAPI_V3_PROTOBUF);
    sendCached(req, res, this.documents.v3Index(), 'application/json', {
      'Cache-Control': 'no-cache, private',
    });
  };

  /** GET /openapi/v3/<path> */
  readonly v3 = (req: Request, res: Response): void => {
    const raw = req.params.path as unknown;
    const path = (Array.isArray(raw) ? raw.join('/') : String(raw ?? '')).replace(/\/+$/, '');
    const doc = this.documents.v3(path);
    if (!doc) {
      throw newPathNotFound();
    }
    res.setHeader('Vary', 'Accept');
    acceptsOpenApiJson(req.headers.accept, OPENAPI_V3_PROTOBUF);
    const hash = typeof req.query.hash === 'string' ? req.query.hash : undefined;
    if (hash !== undefined && hash !== doc.hash) {
      // A stale hash moved: point the client at the current document.
      res.redirect(301, serverRelativeURL(path, doc.hash));
      return;
    }
    const headers: Record<string, string> =
      hash !== undefined
        ? {
            'Cache-Control': `public, immutable, max-age=${ONE_YEAR_SECONDS}`,
            Expires: new Date(Date.now() + ONE_YEAR_SECONDS * 1000).toUTCString(),
          }
        : { 'Cache-Control': 'no-cache, private' };
    sendCached(req, res, { body: bodyOf(doc), etag: `"${doc.hash}"` }, 'application/json', headers);
  };
}

// GroupVersionDocument carries its JSON as a string; keep one Buffer per document.
const buffers = new WeakMap<object, Buffer>();
function bodyOf(doc: { json: string }): Buffer {
  let buf = buffers.get(doc);
  if (!buf) {
    buf = cachedBody(doc.json).body;
    buffers.set(doc, buf);
  }
  return buf;
}

/** Router for the OpenAPI endpoints. Mount at the root. */
export function openapiRouter(scheme: Scheme, options: OpenApiOptions = {}): Router {
  const h = new OpenApiHandlers(scheme, options);
  const router = Router();
  router.get('/openapi/v2', h.v2);
  router.get('/openapi/v3', h.v3Index);
  router.get('/openapi/v3/*path', h.v3);
  return router;
}
