// The unit the window stores: one etcd change of one object of one resource.

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WindowEvent {
  readonly type: EventType;
  /** etcd mod revision of this change; strictly increasing within a resource. */
  readonly rv: bigint;
  /**
   * This resource has no event with prevRv < rv' < rv. In a window fed from the start of its
   * history this is exactly the previous event's rv for the same resource, which every
   * replica computes identically; right after a (re)start it is the start revision, a weaker
   * but still true statement. Consumers test for a gap with `prevRv <= lastKnownRv`.
   */
  readonly prevRv: bigint;
  /** etcd key of the object. */
  readonly key: string;
  /** Serialized object (JSON carrying metadata.resourceVersion). */
  readonly object: Uint8Array;
  /** Serialized previous state, when the event has one (MODIFIED, DELETED). */
  readonly prevObject?: Uint8Array;
  /** Local receipt time in ms since the epoch; drives age-based eviction. */
  readonly timestamp: number;
}

/** What a caller appends: prevRv is validated when given and computed otherwise. */
export interface EventInput {
  readonly type: EventType;
  readonly rv: bigint;
  readonly prevRv?: bigint;
  readonly key: string;
  readonly object: Uint8Array;
  readonly prevObject?: Uint8Array;
  readonly timestamp?: number;
}

/** Fixed per-event overhead counted against the byte cap besides the payloads. */
export const EVENT_OVERHEAD_BYTES = 96;

export function eventBytes(e: WindowEvent): number {
  return (
    EVENT_OVERHEAD_BYTES + e.key.length + e.object.byteLength + (e.prevObject?.byteLength ?? 0)
  );
}
