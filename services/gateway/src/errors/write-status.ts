// The one place that turns errors into HTTP responses. StatusErrors answer with their own
// code and Status body; anything else is a 500 InternalError. The body is encoded as the
// client asked (JSON, YAML, protobuf) where kube would, JSON otherwise.
import type { Request, Response } from 'express';
import {
  type Status,
  type StatusDetails,
  StatusError,
  toStatusError,
} from '@splitplane/apimachinery';
import { warningsOf } from '@splitplane/kit';
import { stringify as toYaml } from 'yaml';
import { maybeContextOf } from '../request-context.js';
import { JSON_TYPE, PROTOBUF_TYPE, YAML_TYPE, parseAccept } from '../negotiation/media-type.js';
import { protobufCodec } from '../negotiation/protobuf.js';
import { addWarnings } from '../negotiation/warnings.js';
import { logger } from '../logger.js';

/** Writes `err` as a Status response (no-op when the timeout filter already answered). */
export function writeStatus(req: Request, res: Response, err: unknown): void {
  const ctx = maybeContextOf(req);
  if (ctx?.timedOut) return;
  const statusError = toStatusError(err);
  if (statusError.code >= 500 && !(err instanceof StatusError)) {
    logger().error({ err, path: req.path, method: req.method }, 'internal error');
  }
  if (res.headersSent) {
    // Mid-stream failures cannot change the status line; cut the connection so the client
    // sees a broken response rather than a silently truncated one.
    res.destroy(statusError);
    return;
  }
  const status = normalizeStatus(statusError.status);
  const retryAfter = status.details?.retryAfterSeconds;
  if (retryAfter && retryAfter > 0) res.setHeader('Retry-After', String(retryAfter));
  const { contentType, body } = encodeStatus(status, req.headers.accept, wantsPretty(req));
  // Warnings recorded before the failure (an admission webhook's, say) go out as kube sends them.
  addWarnings(res, warningsOf(err));
  res.status(status.code);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', 'no-cache, private');
  res.end(body);
}

/**
 * kube's Status fields are `omitempty`: empty strings and zeros are left out (details stays
 * as `{}` when empty, as kube writes it).
 */
export function normalizeStatus(status: Status): Status {
  const out = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: status.metadata ?? {},
    status: status.status,
  } as Status;
  if (status.message) out.message = status.message;
  if (status.reason) out.reason = status.reason;
  if (status.details) {
    const d: StatusDetails = {};
    const src = status.details;
    if (src.name) d.name = src.name;
    if (src.group) d.group = src.group;
    if (src.kind) d.kind = src.kind;
    if (src.uid) d.uid = src.uid;
    if (src.causes?.length) {
      d.causes = src.causes.map((c) => {
        const cause: typeof c = {};
        if (c.reason) cause.reason = c.reason;
        if (c.message) cause.message = c.message;
        if (c.field) cause.field = c.field;
        return cause;
      });
    }
    if (src.retryAfterSeconds) d.retryAfterSeconds = src.retryAfterSeconds;
    out.details = d;
  }
  out.code = status.code;
  return out;
}

export function encodeStatus(
  status: Status,
  accept: string | undefined,
  pretty = false,
): { contentType: string; body: Buffer | string } {
  for (const range of parseAccept(accept)) {
    if (range.type !== 'application' || range.params.as) continue;
    if (range.subtype === 'yaml') return { contentType: YAML_TYPE, body: toYaml(status) };
    if (range.subtype === 'vnd.kubernetes.protobuf') {
      const codec = protobufCodec();
      if (codec) {
        try {
          return {
            contentType: PROTOBUF_TYPE,
            body: Buffer.from(codec.encodeObject(status as unknown as Record<string, unknown>)),
          };
        } catch {
          // fall back to JSON below
        }
      }
    }
    if (range.subtype === 'json') break;
  }
  return {
    contentType: JSON_TYPE,
    body: JSON.stringify(status, null, pretty ? 2 : undefined) + '\n',
  };
}

/** kube pretty-prints for `?pretty=true` and for browsers and command-line HTTP tools. */
export function wantsPretty(req: Request): boolean {
  const q = req.url.indexOf('?');
  const end = q < 0 ? -1 : req.url.indexOf('?', q + 1);
  const pretty =
    q < 0
      ? null
      : new URLSearchParams(req.url.slice(q + 1, end < 0 ? undefined : end)).get('pretty');
  if (pretty !== null) return pretty === '1' || pretty.toLowerCase() === 'true';
  const ua = req.headers['user-agent'] ?? '';
  return ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0');
}
