// Exponential backoff with jitter, and an abortable sleep, for retries against replicas.
export class Backoff {
  #next: number;

  constructor(
    private readonly initialMs = 100,
    private readonly maxMs = 2_000,
  ) {
    this.#next = initialMs;
  }

  /** The next delay, jittered ±20% so replicas' clients do not retry in lockstep. */
  next(): number {
    const delay = this.#next;
    this.#next = Math.min(this.maxMs, this.#next * 2);
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  }

  reset(): void {
    this.#next = this.initialMs;
  }
}

/** Resolves after ms, or false at once if the signal aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
