// A FeedListener that records what it is told, for assertions.
import type { StatusError } from '@splitplane/apimachinery';
import type { FeedEvent, FeedListener } from '../feed-types.js';

export class Recorder implements FeedListener {
  readonly events: FeedEvent[] = [];
  readonly progressed: bigint[] = [];
  ended = false;
  endError: StatusError | undefined;

  get rvs(): bigint[] {
    return this.events.map((e) => e.rv);
  }

  event(event: FeedEvent): void {
    if (this.ended) throw new Error('event after end');
    this.events.push(event);
  }

  progress(rv: bigint): void {
    if (this.ended) throw new Error('progress after end');
    this.progressed.push(rv);
  }

  end(error?: StatusError): void {
    if (this.ended) throw new Error('ended twice');
    this.ended = true;
    this.endError = error;
  }

  /** Delivered through: the last event or progress. */
  get position(): bigint | undefined {
    const e = this.events.at(-1)?.rv;
    const p = this.progressed.at(-1);
    if (e === undefined) return p;
    if (p === undefined) return e;
    return e > p ? e : p;
  }
}
