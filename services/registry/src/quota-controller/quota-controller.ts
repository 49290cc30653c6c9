// The part of kube's resource quota controller that keeps ResourceQuota status true:
// status.hard mirrors spec.hard and status.used is recounted when a quota is created or
// its spec changes, and on a periodic full resync (--resource-quota-sync-period, kube's
// 5m) run by one registry replica at a time. Between resyncs usage is given back as
// objects go: the replica that deleted an object (or shrank a Service or PVC, or saw a
// pod finish) subtracts what it counted for from each quota it matched, by
// compare-and-swap. kube recounts the namespace instead; a recount cannot see creates
// admission has charged but not yet stored, and would hand their share out again, so
// routine releases subtract. Every write is conditional on the quota's resourceVersion,
// so replicas converge.
import { performance } from 'node:perf_hooks';
import type { Logger } from '@splitplane/kit';
import {
  calculateUsage,
  equals,
  evaluatorFor,
  mask,
  quotaMatches,
  removeZeros,
  specHard,
  statusHard,
  statusUsed,
  subtractNonNegative,
  toJson,
  type Evaluator,
  type ResourceList,
} from '@splitplane/admission/quota';
import {
  collectionPrefix,
  objectKey,
  type KubeObject,
  type ResourceDefinition,
  type Scheme,
} from '@splitplane/scheme';
import { KeyNotFoundError, type EtcdStorage } from '@splitplane/storage';
import { LeaderLoop } from '../controllers/leader-loop.js';
import { NamespaceQueue } from './namespace-queue.js';

/** kube's --resource-quota-sync-period default. */
export const DEFAULT_RESOURCE_QUOTA_SYNC_PERIOD_MS = 5 * 60_000;
export const DEFAULT_QUOTA_CHECK_INTERVAL_MS = 10_000;

export interface ResourceQuotaControllerOptions {
  identity: string;
  /** Full resync period (default 5 min). */
  resyncPeriodMs?: number;
  /**
   * How often the leader looks for quotas whose status does not follow their spec (a write
   * whose replica died before its recount; default 10 s, at most the resync period).
   */
  checkIntervalMs?: number;
  leaseTtlSeconds?: number;
  now?: () => Date;
}

class StaleQuotaError extends Error {
  constructor() {
    super('quota changed while its usage was counted');
    this.name = 'StaleQuotaError';
  }
}

const MAX_RECOUNT_ATTEMPTS = 5;
/** Each etcd call of a task gives up after this long, so stop() never waits on a dead etcd. */
const CALL_TIMEOUT_MS = 30_000;
const scope = () => ({ deadline: new Date(Date.now() + CALL_TIMEOUT_MS) });

export class ResourceQuotaController {
  readonly #loop: LeaderLoop;
  readonly #queue: NamespaceQueue;
  readonly #defs = new Map<string, ResourceDefinition>();
  readonly #now: () => Date;
  readonly #resyncPeriodMs: number;
  /** When this replica, as leader, last recounted every quota (performance.now()). */
  #lastFullResync: number | undefined;

  constructor(
    private readonly storage: EtcdStorage,
    private readonly scheme: Scheme,
    private readonly log: Logger,
    opts: ResourceQuotaControllerOptions,
  ) {
    this.#now = opts.now ?? (() => new Date());
    this.#resyncPeriodMs = opts.resyncPeriodMs ?? DEFAULT_RESOURCE_QUOTA_SYNC_PERIOD_MS;
    this.#queue = new NamespaceQueue(log);
    this.#loop = new LeaderLoop(
      storage.client,
      log,
      {
        name: 'resource-quota-controller',
        identity: opts.identity,
        intervalMs: Math.min(
          opts.checkIntervalMs ?? DEFAULT_QUOTA_CHECK_INTERVAL_MS,
          this.#resyncPeriodMs,
        ),
        ...(opts.leaseTtlSeconds ? { leaseTtlSeconds: opts.leaseTtlSeconds } : {}),
      },
      (signal) => this.#pass(signal),
    );
  }

  /** A leader pass: the full resync when it is due, else only quotas whose status lags their spec. */
  async #pass(signal: AbortSignal): Promise<void> {
    const due =
      this.#lastFullResync === undefined ||
      performance.now() - this.#lastFullResync >= this.#resyncPeriodMs;
    if (due) {
      this.#lastFullResync = performance.now();
      await this.resyncAll(signal);
    } else {
      await this.resyncAll(signal, lagging);
    }
  }

  start(): void {
    this.#loop.start();
  }

  async stop(): Promise<void> {
    await this.#loop.stop();
    await this.#queue.idle();
  }

  /** Resolves once the work queued so far is done (tests). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** Recounts every quota (the periodic resync), or those `which` picks. */
  async resyncAll(signal?: AbortSignal, which?: (quota: KubeObject) => boolean): Promise<void> {
    const def = this.#def('', 'resourcequotas');
    if (!def) return;
    const { items } = await this.storage.list(collectionPrefix(def, ''), scope());
    for (const q of items) {
      if (signal?.aborted) return;
      if (which && !which(q)) continue;
      this.recount(q.metadata?.namespace ?? '', q.metadata?.name ?? '');
    }
    await this.#queue.idle();
  }

  /** Queues a recount of one quota (created, spec changed, or resync). */
  recount(namespace: string, name: string): void {
    this.#queue.push(namespace, () => this.#recount(namespace, name), `${namespace}/${name}`);
  }

  /**
   * Queues giving back what `old` charged beyond what `current` charges (all of it when
   * `current` is undefined: the object is gone) to the quotas `old` matched.
   */
  release(
    group: string,
    resource: string,
    namespace: string,
    old: KubeObject,
    current?: KubeObject,
  ): void {
    if (!namespace) return;
    this.#queue.push(namespace, () => this.#release(group, resource, namespace, old, current));
  }

  /** The served definition of group/resource; custom resources may come and go, so misses are not kept. */
  #def(group: string, resource: string): ResourceDefinition | undefined {
    const key = `${group}/${resource}`;
    let def = this.#defs.get(key);
    if (!def) {
      def = this.scheme.all().find((d) => d.group === group && d.plural === resource);
      if (def) this.#defs.set(key, def);
    }
    return def;
  }

  #list = async (group: string, resource: string, namespace: string) => {
    const def = this.#def(group, resource);
    if (!def || !def.namespaced) return undefined;
    return (await this.storage.list(collectionPrefix(def, namespace), scope())).items;
  };

  async #recount(namespace: string, name: string): Promise<void> {
    const def = this.#def('', 'resourcequotas');
    if (!def) return;
    const key = objectKey(def, namespace, name);
    for (let attempt = 1; ; attempt++) {
      const got = await this.storage.get(key, scope());
      if (!got) return;
      const hard = specHard(got.obj);
      // Earlier observations of resources nothing measures are kept, as kube keeps them.
      const counted = await calculateUsage(got.obj, this.#list, this.#now());
      const used: ResourceList = {};
      const merged = { ...statusUsed(got.obj), ...counted };
      for (const n of Object.keys(hard)) if (merged[n]) used[n] = merged[n];
      if (equals(hard, statusHard(got.obj)) && equals(used, statusUsed(got.obj))) return;
      try {
        await this.storage.guaranteedUpdate(
          key,
          (current, rv) => {
            // Charged or edited since we counted: count again.
            if (!current || rv !== got.rv) throw new StaleQuotaError();
            const next = structuredClone(current);
            next.status = { hard: toJson(hard), used: toJson(used) };
            return next;
          },
          scope(),
        );
        return;
      } catch (err) {
        if (err instanceof KeyNotFoundError) return;
        if (!(err instanceof StaleQuotaError) || attempt >= MAX_RECOUNT_ATTEMPTS) throw err;
      }
    }
  }

  async #release(
    group: string,
    resource: string,
    namespace: string,
    old: KubeObject,
    current: KubeObject | undefined,
  ): Promise<void> {
    const def = this.#def('', 'resourcequotas');
    if (!def) return;
    const { items: quotas } = await this.storage.list(collectionPrefix(def, namespace), scope());
    if (quotas.length === 0) return;
    const evaluator = evaluatorFor(group, resource);
    // What the object counts for now: a pod past its deletion grace no longer does, as a
    // recount would find (giving back less than was charged only errs towards refusing).
    const now = this.#now();
    const charged = evaluator.usage(old, now);
    const remaining = current ? evaluator.usage(current, now) : undefined;
    for (const q of quotas) {
      if (!matchesSafely(evaluator, q, old)) continue;
      const stillCharged = remaining && matchesSafely(evaluator, q, current!);
      const give = mask(
        removeZeros(subtractNonNegative(charged, stillCharged ? remaining : {})),
        Object.keys(statusHard(q)),
      );
      if (Object.keys(give).length === 0) continue;
      const key = objectKey(def, namespace, q.metadata?.name ?? '');
      try {
        await this.storage.guaranteedUpdate(
          key,
          (cur) => {
            if (!cur) throw new KeyNotFoundError(key);
            const used = statusUsed(cur);
            // Only what the quota shows is given back; a name it lacks stays absent.
            const after = { ...used, ...subtractNonNegative(mask(used, Object.keys(give)), give) };
            if (equals(after, used)) return cur;
            const next = structuredClone(cur);
            next.status = { ...(next.status as object), used: toJson(after) };
            return next;
          },
          scope(),
        );
      } catch (err) {
        if (!(err instanceof KeyNotFoundError)) throw err;
      }
    }
  }
}

function matchesSafely(evaluator: Evaluator, quota: KubeObject, obj: KubeObject): boolean {
  try {
    return quotaMatches(evaluator, quota, obj);
  } catch {
    return false;
  }
}

/** A quota whose status has not caught up with its spec (or was never filled). */
function lagging(quota: KubeObject): boolean {
  const used = (quota.status as { used?: unknown } | undefined)?.used;
  return !equals(specHard(quota), statusHard(quota)) || !used || typeof used !== 'object';
}
