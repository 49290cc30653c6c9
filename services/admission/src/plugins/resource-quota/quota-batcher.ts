// kube's quotaEvaluator: requests are checked per namespace in batches, so a burst of
// creates costs one status write per batch instead of one lost race per request. Each
// batch charges its requests against the running usage, then compare-and-swaps each
// changed quota's status; on a lost race (another replica, or the quota controller) it
// re-reads just those quotas live and re-checks the requests still waiting, until the
// deadline. Requests are only admitted once their charge is stored: no overshoot across
// replicas.
import {
  newInternalError,
  toStatusError,
  type StatusError,
  deepCopyJson,
} from '@splitplane/apimachinery';
import type { Logger } from '@splitplane/kit';
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes } from '../../chain/plugin.js';
import { checkRequest, quotaName, stateOf, type QuotaState } from './check-request.js';
import type { Evaluator } from './evaluators/types.js';
import type { LimitedResource } from './config.js';
import type { QuotaAccessor } from './quota-accessor.js';
import { equals, toJson } from './resource-list.js';

export interface QuotaBatcherOptions {
  /** How long a request may wait for its batch (kube: 10 s). */
  timeoutMs?: number;
  /** Most rounds of lost races per batch before the last conflict is returned. */
  maxRetries?: number;
  log?: Logger;
  now?: () => Date;
  /** kube's ResourceQuotaConfiguration limitedResources. */
  limitedResources?: readonly LimitedResource[];
}

export const DEFAULT_QUOTA_TIMEOUT_MS = 10_000;

interface Waiter {
  attrs: AdmissionAttributes;
  evaluator: Evaluator;
  /** undefined: undecided; null: admitted; else refused. */
  result: StatusError | null | undefined;
  settle(result: StatusError | null): void;
}

export class QuotaBatcher {
  readonly #pending = new Map<string, Waiter[]>();
  readonly #running = new Set<string>();
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #now: () => Date;
  readonly #limited: boolean;

  constructor(
    private readonly accessor: QuotaAccessor,
    private readonly opts: QuotaBatcherOptions = {},
  ) {
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_QUOTA_TIMEOUT_MS;
    this.#maxRetries = opts.maxRetries ?? 25;
    this.#now = opts.now ?? (() => new Date());
    this.#limited = (opts.limitedResources ?? []).length > 0;
  }

  /** Resolves when `attrs` fits every quota and its charge is stored; rejects with kube's Status. */
  evaluate(attrs: AdmissionAttributes, evaluator: Evaluator): Promise<void> {
    // Most namespaces have no quota: no batch, no wait.
    if (!this.#limited && this.accessor.hasQuotas?.(attrs.namespace) === false)
      return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        reject(newInternalError(new Error('resource quota evaluation timed out')));
      }, this.#timeoutMs);
      const waiter: Waiter = {
        attrs,
        evaluator,
        result: undefined,
        settle(result) {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (result) reject(result);
          else resolve();
        },
      };
      const ns = attrs.namespace;
      const list = this.#pending.get(ns);
      if (list) list.push(waiter);
      else this.#pending.set(ns, [waiter]);
      if (!this.#running.has(ns)) void this.#drain(ns);
    });
  }

  /** Runs batches for `ns` until nothing waits; one batch at a time per namespace. */
  async #drain(ns: string): Promise<void> {
    this.#running.add(ns);
    try {
      for (;;) {
        const batch = this.#pending.get(ns);
        if (!batch || batch.length === 0) break;
        this.#pending.delete(ns);
        try {
          await this.#checkBatch(ns, batch);
        } catch (err) {
          this.opts.log?.warn({ err, namespace: ns }, 'resource quota batch failed');
          const status = toStatusError(err);
          for (const w of batch) if (w.result === undefined) w.result = status;
        }
        for (const w of batch) w.settle(w.result ?? null);
      }
    } finally {
      this.#running.delete(ns);
      this.#pending.delete(ns);
    }
  }

  async #checkBatch(ns: string, waiters: Waiter[]): Promise<void> {
    const deadline = new Date(this.#now().getTime() + this.#timeoutMs);
    let states = (await this.accessor.quotas(ns)).map(stateOf);
    // With limited resources configured, a namespace without quotas still has to be checked.
    if (states.length === 0 && !this.#limited) {
      for (const w of waiters) w.result = null;
      return;
    }
    for (let round = 0; ; round++) {
      const undecided = waiters.filter((w) => w.result === undefined);
      const original = states;
      let running = states;
      let charged = false;
      for (const w of undecided) {
        let next: QuotaState[];
        try {
          next = checkRequest(
            running,
            w.attrs,
            w.evaluator,
            this.#now(),
            this.opts.limitedResources,
          );
        } catch (err) {
          w.result = toStatusError(err);
          continue;
        }
        // A dry run is checked, never charged.
        if (w.attrs.dryRun) {
          w.result = null;
          continue;
        }
        if (next.every((s, i) => equals(s.used, running[i]!.used))) w.result = null;
        else charged = true;
        running = next;
      }
      if (!charged) return;

      const lost: string[] = [];
      let lastErr: StatusError | undefined;
      for (let i = 0; i < running.length; i++) {
        if (equals(running[i]!.used, original[i]!.used)) continue;
        try {
          await this.accessor.updateStatus(withUsed(running[i]!), deadline);
        } catch (err) {
          lastErr = toStatusError(err);
          lost.push(quotaName(running[i]!));
        }
      }
      if (!lastErr) {
        for (const w of waiters) if (w.result === undefined) w.result = null;
        return;
      }
      if (round >= this.#maxRetries || this.#now() >= deadline) {
        for (const w of waiters) if (w.result === undefined) w.result = lastErr;
        return;
      }
      // Only the quotas whose write failed are re-checked; a deleted one no longer applies.
      const fresh = await Promise.all(lost.map((name) => this.accessor.live(ns, name)));
      states = fresh.filter((q): q is KubeObject => q !== undefined).map(stateOf);
      if (states.length === 0) {
        for (const w of waiters) if (w.result === undefined) w.result = null;
        return;
      }
    }
  }
}

/** The quota as stored with status.used replaced: the compare-and-swap body. */
function withUsed(state: QuotaState): KubeObject {
  const quota = deepCopyJson(state.quota);
  quota.status = { ...(quota.status as object), used: toJson(state.used) };
  return quota;
}
