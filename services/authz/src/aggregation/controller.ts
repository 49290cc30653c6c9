// kube's clusterrole-aggregation controller: any ClusterRole change re-queues every
// aggregated ClusterRole; a worker recomputes its rules from the informer's view and
// updates the role through the registry when they differ.
//
// Several authz replicas may run it at once. Writes are idempotent: each replica computes
// the same rules from the same view, writes only a difference, and conditions the write
// on the resourceVersion it read, so a loser gets 409, waits for its informer to see the
// winner's write, and then finds nothing left to do.
import { StatusError } from '@splitplane/apimachinery';
import type { Logger } from '@splitplane/kit';
import type { KubeObject } from '@splitplane/scheme';
import type { PolicyClient } from '../bootstrap/policy-client.js';
import type { RbacObject } from '../bootstrap/reconcile.js';
import { sameRules } from '../bootstrap/rules.js';
import { aggregatedRules, isAggregated, type ClusterRoleLike } from './aggregate.js';

/** The part of an Informer over clusterroles the controller uses. */
export interface ClusterRoleSource {
  store: { list(): KubeObject[]; get(namespace: string, name: string): KubeObject | undefined };
  on(event: 'add' | 'update' | 'delete', handler: (...objs: KubeObject[]) => void): () => void;
}

export interface AggregationControllerOptions {
  /** Pause before retrying a role whose update failed (doubles up to 30 s). */
  retryMinMs?: number;
}

const nameOf = (o: KubeObject) => o.metadata?.name ?? '';

export class ClusterRoleAggregationController {
  readonly #queue = new Set<string>();
  readonly #retries = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #unsubscribe: Array<() => void> = [];
  #wake: (() => void) | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #busy = false;
  readonly #idleWaiters: Array<() => void> = [];
  /** Updates written (for tests and logs). */
  writes = 0;

  constructor(
    private readonly roles: ClusterRoleSource,
    private readonly client: PolicyClient,
    private readonly log: Logger,
    private readonly opts: AggregationControllerOptions = {},
  ) {}

  /** Call once the source has synced. */
  start(): void {
    const enqueueAll = () => this.#enqueueAll();
    this.#unsubscribe = [
      this.roles.on('add', enqueueAll),
      this.roles.on('update', enqueueAll),
      this.roles.on('delete', enqueueAll),
    ];
    this.#enqueueAll();
    this.#running = this.#loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const u of this.#unsubscribe) u();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#wake?.();
    await this.#running;
  }

  /** Resolves once no role is queued or being synced (retries waiting on a timer excepted). */
  idle(): Promise<void> {
    if (this.#queue.size === 0 && !this.#busy) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #enqueueAll(): void {
    for (const role of this.roles.store.list()) {
      if (isAggregated(role as ClusterRoleLike)) this.#enqueue(nameOf(role));
    }
  }

  #enqueue(name: string): void {
    if (this.#stopped) return;
    this.#queue.add(name);
    this.#wake?.();
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      const next = this.#queue.values().next();
      if (next.done) {
        for (const resolve of this.#idleWaiters.splice(0)) resolve();
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      const name = next.value;
      this.#queue.delete(name);
      this.#busy = true;
      try {
        await this.#sync(name);
        this.#retries.delete(name);
      } catch (err) {
        this.#retryLater(name, err);
      } finally {
        this.#busy = false;
      }
    }
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #retryLater(name: string, err: unknown): void {
    const attempts = (this.#retries.get(name) ?? 0) + 1;
    this.#retries.set(name, attempts);
    const conflict = err instanceof StatusError && err.code === 409;
    // A conflict means our view is behind: the informer's event re-queues the role soon.
    const delay = Math.min((this.opts.retryMinMs ?? 200) * 2 ** (attempts - 1), 30_000);
    if (!conflict)
      this.log.warn({ err, clusterRole: name, retryInMs: delay }, 'aggregation: update failed');
    const t = setTimeout(() => {
      this.#timers.delete(t);
      this.#enqueue(name);
    }, delay);
    this.#timers.add(t);
  }

  async #sync(name: string): Promise<void> {
    const role = this.roles.store.get('', name) as ClusterRoleLike | undefined;
    if (!role || !isAggregated(role)) return;
    const rules = aggregatedRules(role, this.roles.store.list() as ClusterRoleLike[]);
    if (sameRules(rules, role.rules ?? [])) return;
    const updated = { ...structuredClone(role), rules } as RbacObject;
    await this.client.update({ resource: 'clusterroles', name }, updated);
    this.writes++;
    this.log.info({ clusterRole: name, rules: rules.length }, 'aggregation: updated rules');
  }
}
