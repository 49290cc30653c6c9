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
  readonly signal: AbortSignal;
  /** True once abort() ran. */
  readonly aborted: boolean;
  abort(reason: unknown): void;
  /**
   * Runs `fn` on abort (at once if already aborted); returns its deregistration. Cheaper
   * than listening on `signal` (an EventTarget), which the per-request gRPC calls use.
   */
  onAbort(fn: (reason: unknown) => void): () => void;
  /** Set once the timeout filter has answered 504; later writes are dropped, as kube's timeout writer does. */
  timedOut: boolean;
}

/**
 * The context the request-info filter creates. Its AbortController is made only when
 * something asks for `signal` (watches); unary calls use onAbort.
 */
export class RequestState implements RequestContext {
  user?: UserInfo;
  deadline?: Date;
  timedOut = false;
  private controller?: AbortController;
  private listeners?: Set<(reason: unknown) => void>;
  private abortReason: unknown;
  private done = false;

  constructor(
    public info: RequestInfo,
    public auditId: string,
    public longRunning: boolean,
  ) {}

  get aborted(): boolean {
    return this.done;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.done) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.done) return;
    this.done = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const fn of listeners) fn(reason);
  }

  onAbort(fn: (reason: unknown) => void): () => void {
    if (this.done) {
      fn(this.abortReason);
      return noop;
    }
    (this.listeners ??= new Set()).add(fn);
    return () => this.listeners?.delete(fn);
  }
}

function noop(): void {}

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
