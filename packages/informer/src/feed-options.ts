// Construction options and counters of a ResourceFeed.
import type { Logger, NatsConnection } from '@splitplane/kit';
import type { EventHistory } from './feed-types.js';

export interface ResourceFeedOptions {
  nats: NatsConnection;
  group: string;
  resource: string;
  history: EventHistory;
  log?: Logger;
  /** How long received events stay in the local window (default 60 s). */
  retainMs?: number;
  /** At most this many events stay in the local window (default 10,000). */
  retainEvents?: number;
  /** Fault injection: drop this fraction of received NATS messages (default 0). */
  dropFraction?: number;
  /** A history that keeps failing this long ends the affected subscribers cleanly (default 10 s). */
  giveUpMs?: number;
  /** Messages held while healing a gap; past this the feed gives up its position (default 100,000). */
  maxBuffered?: number;
  /**
   * With subscribers and no message for this long, ask history whether anything was missed
   * (default 5 s). A lost message is otherwise noticed only at the next one, and a replica
   * publishes nothing for a resource whose position does not move.
   */
  idleProbeMs?: number;
}

/** Counters for logs, metrics and tests. */
export interface ResourceFeedStats {
  /** NATS messages decoded (after fault-injected drops). */
  received: number;
  /** Messages dropped as already seen (another replica's copy). */
  duplicates: number;
  /** Gaps detected (prevRv > lastRv) with subscribers to heal for. */
  gaps: number;
  /** History reads: heals, anchors and catch-ups, retries included. */
  historyReads: number;
  /** Times the position was dropped (410, give-up, overflow). */
  positionsLost: number;
  /** History reads made because the subject was silent. */
  probes: number;
}
