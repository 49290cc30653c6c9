// The contract of a resource's event feed: the NATS fan-out of DESIGN §4 turned back into
// one ordered, gap-free history. Gateways serve watches from it; informers build their
// stores from it.
import type { StatusError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';

export type FeedEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change of one object. Shared by every subscriber: never mutate it. */
export interface FeedEvent {
  readonly type: FeedEventType;
  readonly rv: bigint;
  readonly prevRv: bigint;
  readonly namespace: string;
  readonly name: string;
  /** Kubernetes JSON with metadata.resourceVersion = rv (DELETED: the last state). */
  readonly object: Buffer;
  /** The state before (MODIFIED, DELETED), for selector transitions. */
  readonly prevObject?: Buffer;
  /** object, parsed once and memoized. */
  parsed(): KubeObject;
  /** prevObject, parsed once and memoized. */
  parsedPrev(): KubeObject | undefined;
}

export interface FeedListener {
  /** Events with rv > the subscription's fromRv, strictly increasing, none missing. */
  event(event: FeedEvent): void;
  /** The resource's history is complete through rv (all events up to rv were delivered). */
  progress?(rv: bigint): void;
  /**
   * The subscription is over. With a StatusError (410 Expired) continuity was lost; without
   * one the feed closed. No call follows.
   */
  end(error?: StatusError): void;
}

export interface FeedSubscription {
  close(): void;
}

/** Where a feed learns history it missed: the WatchCache Events RPC. */
export interface EventHistory {
  /**
   * Every event of the resource in (fromRv, toRv] (toRv absent: through whatever the
   * replica knows), and the revision the answer is complete through. Rejects with a
   * StatusError 410 when fromRv has left the window.
   */
  events(
    fromRv: bigint,
    toRv: bigint | undefined,
    signal?: AbortSignal,
  ): Promise<{ events: FeedEvent[]; through: bigint }>;
}
