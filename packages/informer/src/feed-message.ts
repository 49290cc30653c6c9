// A NATS message of a resource's subject, decoded: an event, or PROGRESS.
import { WatchEvent } from '@splitplane/proto';
import { decodeFeedEvent, parseOptionalRv, parseRv } from './feed-event.js';
import type { FeedEvent } from './feed-types.js';

/** A received message: an event, or PROGRESS ("no event in (prevRv, rv]") without one. */
export interface Incoming {
  rv: bigint;
  prevRv: bigint;
  event?: FeedEvent;
}

/** Throws FeedDecodeError (or a protobuf error) for a message no replica would send. */
export function decodeMessage(data: Uint8Array): Incoming {
  const ev = WatchEvent.decode(data);
  if (ev.type === 'PROGRESS') {
    return { rv: parseRv(ev.rv, 'rv'), prevRv: parseOptionalRv(ev.prevRv, 'prevRv') };
  }
  const event = decodeFeedEvent(ev);
  return { rv: event.rv, prevRv: event.prevRv, event };
}
