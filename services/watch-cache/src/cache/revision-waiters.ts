// Callers waiting for the cache to reach a revision. Event-driven: release(rv) resolves every
// waiter whose target is reached; a deadline or an abort resolves false. Waiters are kept
// sorted by target so a release only looks at the ones it resolves.

interface Waiter {
  readonly target: bigint;
  readonly resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout | undefined;
  cleanup: (() => void) | undefined;
}

export class RevisionWaiters {
  private waiters: Waiter[] = [];

  get size(): number {
    return this.waiters.length;
  }

  /** Waits until release(rv >= target); false at the deadline (ms since epoch) or on abort. */
  wait(target: bigint, deadline: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    const remaining = deadline - Date.now();
    if (remaining <= 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        target,
        timer: undefined,
        cleanup: undefined,
        resolve: (reached) => {
          clearTimeout(waiter.timer);
          waiter.cleanup?.();
          resolve(reached);
        },
      };
      waiter.timer = setTimeout(() => this.drop(waiter, false), remaining);
      if (signal) {
        const onAbort = () => this.drop(waiter, false);
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.waiters.splice(this.insertionPoint(target), 0, waiter);
    });
  }

  /** Resolves every waiter with target <= rv. */
  release(rv: bigint): void {
    let n = 0;
    while (n < this.waiters.length && this.waiters[n]!.target <= rv) n++;
    if (n === 0) return;
    const done = this.waiters.splice(0, n);
    for (const w of done) w.resolve(true);
  }

  /** Resolves every waiter false (shutdown). */
  cancelAll(): void {
    const all = this.waiters;
    this.waiters = [];
    for (const w of all) w.resolve(false);
  }

  private drop(waiter: Waiter, reached: boolean): void {
    const i = this.waiters.indexOf(waiter);
    if (i < 0) return;
    this.waiters.splice(i, 1);
    waiter.resolve(reached);
  }

  private insertionPoint(target: bigint): number {
    let lo = 0;
    let hi = this.waiters.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.waiters[mid]!.target <= target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
