// The events a feed retains so new subscriptions start locally: complete for (base, last],
// bounded by age and count. Trimming moves base up to the newest event it dropped.
import type { FeedEvent } from './feed-types.js';

export class FeedWindow {
  #events: FeedEvent[] = [];
  #at: number[] = [];
  #head = 0;
  #base: bigint;

  constructor(
    base: bigint,
    private readonly retainMs: number,
    private readonly retainEvents: number,
  ) {
    this.#base = base;
  }

  /** No event is missing from the window after this revision. */
  get base(): bigint {
    return this.#base;
  }

  get size(): number {
    return this.#events.length - this.#head;
  }

  push(event: FeedEvent, now = Date.now()): void {
    this.#events.push(event);
    this.#at.push(now);
  }

  /** Retained events with rv > after, oldest first. Requires after >= base. */
  after(after: bigint): FeedEvent[] {
    let lo = this.#head;
    let hi = this.#events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#events[mid]!.rv <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.#events.slice(lo);
  }

  trim(now = Date.now()): void {
    const oldest = now - this.retainMs;
    while (
      this.#head < this.#events.length &&
      (this.size > this.retainEvents || this.#at[this.#head]! < oldest)
    ) {
      this.#base = this.#events[this.#head]!.rv;
      this.#head++;
    }
    // Compact now and then rather than shifting on every trim.
    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#at = this.#at.slice(this.#head);
      this.#head = 0;
    }
  }
}
