// A feed's subscribers and the only way to call them: a listener that throws is ended, and
// an ended one hears nothing more, so no listener can break the feed or its neighbours.
import type { StatusError } from '@splitplane/apimachinery';
import type { Logger } from '@splitplane/kit';
import type { FeedEvent, FeedListener } from './feed-types.js';

export interface Sub {
  listener: FeedListener;
  /** Everything through pos was delivered (or, before any delivery, the requested fromRv). */
  pos: bigint;
  /** pending: waiting for the feed to anchor; catchup: reading history older than the window. */
  state: 'pending' | 'catchup' | 'live' | 'ended';
}

export class Subscribers {
  readonly #subs = new Set<Sub>();

  constructor(
    private readonly log: Logger | undefined,
    private readonly resource: string,
  ) {}

  get size(): number {
    return this.#subs.size;
  }

  add(listener: FeedListener, fromRv: bigint): Sub {
    const sub: Sub = { listener, pos: fromRv, state: 'pending' };
    this.#subs.add(sub);
    return sub;
  }

  /** Its owner closed it: no end() call. */
  remove(sub: Sub): void {
    sub.state = 'ended';
    this.#subs.delete(sub);
  }

  /** A snapshot, so listeners may subscribe or close while it is walked. */
  inState(state: Sub['state']): Sub[] {
    return [...this.#subs].filter((s) => s.state === state);
  }

  hasLive(): boolean {
    for (const s of this.#subs) if (s.state === 'live') return true;
    return false;
  }

  /** Tells live subscribers not yet past rv: the event at rv, or (none) progress to rv. */
  advance(rv: bigint, event: FeedEvent | undefined): void {
    for (const sub of [...this.#subs]) {
      if (sub.state !== 'live' || sub.pos >= rv) continue;
      sub.pos = rv;
      if (event) this.call(sub, (l) => l.event(event));
      else this.call(sub, (l) => l.progress?.(rv));
    }
  }

  /** Ends a subscriber once; one its owner closed hears nothing more. */
  end(sub: Sub, error?: StatusError): void {
    if (sub.state === 'ended') return;
    sub.state = 'ended';
    this.#subs.delete(sub);
    try {
      sub.listener.end(error);
    } catch (err) {
      this.log?.warn({ err, resource: this.resource }, 'feed listener threw in end()');
    }
  }

  endAll(error?: StatusError): void {
    for (const sub of [...this.#subs]) this.end(sub, error);
  }

  /** A listener that throws is ended; the feed and the other subscribers carry on. */
  call(sub: Sub, fn: (listener: FeedListener) => void): void {
    try {
      fn(sub.listener);
    } catch (err) {
      this.log?.warn({ err, resource: this.resource }, 'feed listener threw; ending it');
      this.end(sub);
    }
  }
}
