// EventHistory over the WatchCache Events RPC: how a feed heals gaps and anchors old
// subscriptions. A 410 stays a StatusError with code 410 (kit's `call` restores it).
import type { WatchCacheClient } from '@splitplane/proto';
import { abortable, call } from '@splitplane/kit';
import type { EventHistory, FeedEvent } from './feed-types.js';
import { decodeFeedEvent, parseRv } from './feed-event.js';

export interface GrpcEventHistoryOptions {
  /** Deadline of one Events call; the replica waits this long for a toRv it has not reached. Default 5 s. */
  timeoutMs?: number;
}

export function grpcEventHistory(
  client: WatchCacheClient,
  group: string,
  resource: string,
  opts: GrpcEventHistoryOptions = {},
): EventHistory {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  return {
    async events(fromRv, toRv, signal) {
      signal?.throwIfAborted();
      const pending = call(
        client,
        client.events,
        {
          resource: { group, version: '', resource },
          fromRv: fromRv.toString(),
          toRv: toRv === undefined ? '' : toRv.toString(),
        },
        { deadline: new Date(Date.now() + timeoutMs) },
        'watch-cache',
      );
      const response = await abortable(pending, signal);
      const events: FeedEvent[] = response.events.map(decodeFeedEvent);
      return { events, through: parseRv(response.throughRv, 'throughRv') };
    },
  };
}
