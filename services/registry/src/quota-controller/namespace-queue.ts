// Serial work per namespace: a quota's recalculation and the releases of deleted objects in
// the same namespace never interleave inside one replica (a release applied on top of a
// recount that already missed the object would count it out twice).
import type { Logger } from '@splitplane/kit';

export class NamespaceQueue {
  readonly #tails = new Map<string, Promise<void>>();
  /** Keys of queued (not yet started) deduplicated tasks. */
  readonly #queued = new Set<string>();

  constructor(private readonly log: Logger) {}

  /** Runs `task` after the namespace's earlier tasks; a `key` already queued is not queued again. */
  push(namespace: string, task: () => Promise<void>, key?: string): void {
    if (key !== undefined) {
      if (this.#queued.has(key)) return;
      this.#queued.add(key);
    }
    const prev = this.#tails.get(namespace) ?? Promise.resolve();
    const next = prev.then(async () => {
      if (key !== undefined) this.#queued.delete(key);
      try {
        await task();
      } catch (err) {
        this.log.warn({ err, namespace }, 'resource quota controller: task failed');
      }
    });
    this.#tails.set(namespace, next);
    void next.then(() => {
      if (this.#tails.get(namespace) === next) this.#tails.delete(namespace);
    });
  }

  /** Resolves once everything queued so far has run. */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all([...this.#tails.values()]);
  }
}
