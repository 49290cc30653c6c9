// Per-request state the filters build up and the handlers read: what the request addresses,
// who sent it, and the one deadline/cancellation every downstream call shares.
import type { Request } from 'express';
import type { UserInfo } from '@splitplane/proto';
import type { RequestInfo } from './filters/request-info-parser.js';

export interface RequestContext {
  info: RequestInfo;
  auditId: string;
  longRunning: boolean;
  user?: UserInfo;
  /** Absolute deadline of non-long-running requests; gRPC calls carry it. */
  deadline?: Date;
  /** Aborted when the request times out or the client goes away. */
  signal: AbortSignal;
  abort(reason: unknown): void;
  /** Set once the timeout filter has answered 504; later writes are dropped, as kube's timeout writer does. */
  timedOut: boolean;
}

const contexts = new WeakMap<Request, RequestContext>();

export function setContext(req: Request, ctx: RequestContext): void {
  contexts.set(req, ctx);
}

/** The context the request-info filter attached; every later stage can rely on it. */
export function contextOf(req: Request): RequestContext {
  const ctx = contexts.get(req);
  if (!ctx) throw new Error('request context missing: the request-info filter did not run');
  return ctx;
}

export function maybeContextOf(req: Request): RequestContext | undefined {
  return contexts.get(req);
}
