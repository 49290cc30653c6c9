// Namespaces this registry has recently read as Active, so that a create in a busy namespace
// does not pay an etcd read each time (kube's NamespaceLifecycle answers from an informer for
// the same reason). Only Active is ever remembered, and only for `ttlMs`: a miss, an expired
// entry, or a namespace that was not Active always takes the live read.
//
// The window: another registry replica may mark a namespace Terminating while this one still
// holds it as Active, for at most `ttlMs`; a create admitted in that window lands in a
// terminating namespace. kube's informer-based plugin has the same race (its cache lags etcd
// too). The namespace controller closes it: it keeps re-listing a terminating namespace and
// only finalizes once the namespace has been seen terminating for longer than this TTL, so
// content created in the window is deleted like any other. Writes to a namespace through this
// registry forget it at once, so a single replica has no window at all.
import { performance } from 'node:perf_hooks';

/** How long an Active namespace is trusted without a read. Keep it ≤ 1 s. */
export const NAMESPACE_CACHE_TTL_MS = 500;
/** A bound on remembered names; past it the cache starts over rather than grow. */
const MAX_ENTRIES = 10_000;

export class ActiveNamespaceCache {
  /** name -> monotonic time (ms) until which it counts as Active. */
  private readonly active = new Map<string, number>();
  /** Bumped by every forget(), so a read that raced a namespace write cannot be remembered. */
  private epoch = 0;

  constructor(
    readonly ttlMs = NAMESPACE_CACHE_TTL_MS,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  isActive(name: string): boolean {
    const until = this.active.get(name);
    if (until === undefined) return false;
    if (this.clock() < until) return true;
    this.active.delete(name);
    return false;
  }

  /** Take before a live read; pass to remember() with its result. */
  mark(): number {
    return this.epoch;
  }

  /** Remembers `name` as Active, unless a namespace was written since `mark`. */
  remember(name: string, mark: number): void {
    if (mark !== this.epoch) return;
    if (this.active.size >= MAX_ENTRIES) this.active.clear();
    this.active.set(name, this.clock() + this.ttlMs);
  }

  /** Called on every write to a namespace through this registry. */
  forget(name: string): void {
    this.epoch++;
    this.active.delete(name);
  }
}
