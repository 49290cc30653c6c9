// Admission over gRPC to the admission service (splitplane.v1.Admission). It keeps a view of
// the chain (Describe, refreshed every `describeIntervalMs`) so the store can skip phases no
// plugin handles. Without a fresh view — admission unreachable, an older admission without
// Describe, a refresh that failed — it skips nothing: every phase is called, and fails, as
// before.
import { randomUUID } from 'node:crypto';
import { AdmissionClient, type AdmissionRequest, type AdmissionResponse } from '@splitplane/proto';
import { call, dial, type GrpcCredentials } from '@splitplane/kit';
import type { KubeObject } from '@splitplane/scheme';
import type {
  Admission,
  AdmissionAttributes,
  AdmissionOperation,
  AdmissionPhase,
  AdmitResult,
  ValidateResult,
} from './admission.js';
import { ChainView } from './chain-view.js';

export interface GrpcAdmissionOptions {
  /** How often the chain description is refreshed; 0 disables describing (never skip). */
  describeIntervalMs?: number;
  /** The registry's own gRPC credentials (mutual TLS with admission); plaintext without. */
  credentials?: GrpcCredentials;
}

export const DEFAULT_DESCRIBE_INTERVAL_MS = 2_000;
/** A Describe call that takes longer than this counts as a failed refresh. */
const DESCRIBE_TIMEOUT_MS = 1_000;

export class GrpcAdmission implements Admission {
  private readonly client: AdmissionClient;
  private readonly intervalMs: number;
  private view: ChainView | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private closed = false;

  constructor(target: string, opts: GrpcAdmissionOptions = {}) {
    this.client = dial(AdmissionClient, target, opts.credentials);
    this.intervalMs = opts.describeIntervalMs ?? DEFAULT_DESCRIBE_INTERVAL_MS;
  }

  /** Fetches the chain description once, then keeps it fresh. Never throws. */
  async start(): Promise<void> {
    if (this.intervalMs <= 0 || this.timer || this.closed) return;
    this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    this.timer.unref();
    await this.refresh();
  }

  /** The generation of the chain description in use, or undefined when there is none. */
  get generation(): string | undefined {
    return this.fresh()?.generation;
  }

  needs(phase: AdmissionPhase, operation: AdmissionOperation): boolean {
    return this.fresh()?.needs(phase, operation) ?? true;
  }

  /** Re-reads the chain description; on failure forgets the old one (so nothing is skipped). */
  refresh(): Promise<void> {
    this.refreshing ??= call(
      this.client,
      this.client.describe,
      {},
      { deadline: new Date(Date.now() + DESCRIBE_TIMEOUT_MS) },
      'admission',
    )
      .then(
        (description) => {
          this.view = this.closed ? undefined : ChainView.of(description);
        },
        () => {
          this.view = undefined;
        },
      )
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  async admit(attrs: AdmissionAttributes): Promise<AdmitResult> {
    const res = await this.invoke(this.client.admit, attrs);
    const object =
      res.object.length > 0
        ? (JSON.parse(Buffer.from(res.object).toString('utf8')) as KubeObject)
        : undefined;
    const auditAnnotations = res.auditAnnotations ?? {};
    return object
      ? { object, warnings: res.warnings, auditAnnotations }
      : { warnings: res.warnings, auditAnnotations };
  }

  async validate(attrs: AdmissionAttributes): Promise<ValidateResult> {
    const res = await this.invoke(this.client.validate, attrs);
    return { warnings: res.warnings, auditAnnotations: res.auditAnnotations ?? {} };
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.view = undefined;
    this.client.close();
  }

  /**
   * The view, if recent enough to trust: a timer starved by a busy event loop must not stretch
   * the propagation window, so a view older than two intervals plus a Describe timeout is
   * ignored until the next refresh lands.
   */
  private fresh(): ChainView | undefined {
    const view = this.view;
    if (!view) return undefined;
    return Date.now() - view.fetchedAt <= 2 * this.intervalMs + DESCRIBE_TIMEOUT_MS
      ? view
      : undefined;
  }

  private invoke(
    method: AdmissionClient['admit'],
    attrs: AdmissionAttributes,
  ): Promise<AdmissionResponse> {
    const { def } = attrs;
    const req: AdmissionRequest = {
      uid: randomUUID(),
      kind: attrs.kind ?? { group: def.group, version: def.version, kind: def.kind },
      resource: { group: def.group, version: def.version, resource: def.plural },
      subresource: attrs.subresource,
      name: attrs.name,
      namespace: attrs.namespace,
      operation: attrs.operation,
      user: attrs.user,
      object: attrs.object ? Buffer.from(JSON.stringify(attrs.object)) : Buffer.alloc(0),
      oldObject: attrs.oldObject ? Buffer.from(JSON.stringify(attrs.oldObject)) : Buffer.alloc(0),
      dryRun: attrs.dryRun,
      options: attrs.options ? Buffer.from(JSON.stringify(attrs.options)) : Buffer.alloc(0),
    };
    return call(
      this.client,
      method as never,
      req,
      attrs.deadline ? { deadline: attrs.deadline } : {},
      'admission',
    );
  }
}
