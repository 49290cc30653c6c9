// The bounded event window of one resource: the recent history a watch resumes from.
// It is complete for every rv in [oldestResumableRv, latestRv]: since(rv) then returns
// exactly the events with a greater rv. Eviction only ever moves oldestResumableRv up to
// the rv of the last evicted event, so a resume from that very rv stays complete.
import { assertRv } from './rv.js';
import { eventBytes, type EventInput, type WindowEvent } from './event.js';
import {
  EventGapError,
  NotYet,
  OutOfOrderEventError,
  PrevRvMismatchError,
  TooOld,
  type RvPosition,
} from './errors.js';

/** kube's watch cache keeps events for at least 75 s (eventFreshDuration). */
export const DEFAULT_MAX_AGE_MS = 75_000;
/** kube's upper bound on the watch cache's event capacity. */
export const DEFAULT_MAX_EVENTS = 100 * 1024;
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export interface WindowLimits {
  /** Events older than this (by their timestamp) are evicted. */
  maxAgeMs?: number;
  /** At most this many events are kept. */
  maxEvents?: number;
  /** The events' payloads (plus a fixed overhead each) stay within this many bytes. */
  maxBytes?: number;
  /** Clock in ms; injectable for tests. */
  now?: () => number;
}

export interface EventWindowOptions extends WindowLimits {
  /** Used in error messages. */
  resource?: string;
  /** The window holds the complete history after this revision (the list revision). */
  startRv?: bigint;
  /** The rv of this resource's last event at or before startRv, when the caller knows it. */
  lastEventRv?: bigint;
}

export class EventWindow {
  readonly resource: string;
  private readonly maxAgeMs: number;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  // Retained events are events[head..]; the dead prefix is compacted now and then.
  private events: WindowEvent[] = [];
  private head = 0;
  private bytes = 0;
  private floor: bigint;
  private through: bigint;
  private lastEvent: bigint | undefined;

  constructor(options: EventWindowOptions = {}) {
    this.resource = options.resource ?? '';
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.now = options.now ?? Date.now;
    if (!(this.maxAgeMs >= 0)) throw new RangeError(`maxAgeMs must be >= 0, got ${this.maxAgeMs}`);
    if (!(this.maxEvents >= 0))
      throw new RangeError(`maxEvents must be >= 0, got ${this.maxEvents}`);
    if (!(this.maxBytes >= 0)) throw new RangeError(`maxBytes must be >= 0, got ${this.maxBytes}`);
    const start = options.startRv ?? 0n;
    assertRv(start, 'startRv');
    if (options.lastEventRv !== undefined) {
      assertRv(options.lastEventRv, 'lastEventRv');
      if (options.lastEventRv > start) throw new RangeError('lastEventRv must not exceed startRv');
    }
    this.floor = start;
    this.through = start;
    this.lastEvent = options.lastEventRv;
  }

  /**
   * Appends the next event. rv must exceed latestRv. A given prevRv is checked against the
   * chain: below the last event's rv it is a PrevRvMismatchError, above latestRv an
   * EventGapError. The stored prevRv is the strongest true one the window knows.
   */
  append(input: EventInput): WindowEvent {
    assertRv(input.rv, 'rv');
    const { rv } = input;
    if (rv <= this.through) throw new OutOfOrderEventError(this.resource, rv, this.through);
    let prevRv: bigint;
    if (input.prevRv !== undefined) {
      assertRv(input.prevRv, 'prevRv');
      if (input.prevRv >= rv)
        throw new PrevRvMismatchError(
          this.resource,
          rv,
          input.prevRv,
          this.lastEvent ?? this.floor,
        );
      if (this.lastEvent !== undefined && input.prevRv < this.lastEvent)
        throw new PrevRvMismatchError(this.resource, rv, input.prevRv, this.lastEvent);
      if (input.prevRv > this.through)
        throw new EventGapError(this.resource, rv, input.prevRv, this.through);
    }
    if (this.lastEvent !== undefined) prevRv = this.lastEvent;
    else if (input.prevRv !== undefined && input.prevRv < this.floor) prevRv = input.prevRv;
    else prevRv = this.floor; // nothing seen since the start: no event in (floor, rv)
    const event: WindowEvent = Object.freeze({
      type: input.type,
      rv,
      prevRv,
      key: input.key,
      object: input.object,
      ...(input.prevObject !== undefined ? { prevObject: input.prevObject } : {}),
      timestamp: input.timestamp ?? this.now(),
    });
    this.events.push(event);
    this.bytes += eventBytes(event);
    this.through = rv;
    this.lastEvent = rv;
    this.prune();
    return event;
  }

  /**
   * Records that the resource's history is complete up to revision without new events
   * (etcd progress notifications, the end of a watch response). Older revisions are ignored.
   */
  advance(revision: bigint): boolean {
    assertRv(revision, 'revision');
    if (revision <= this.through) return false;
    this.through = revision;
    return true;
  }

  /** Every retained event with rv > given; TooOld when that history is no longer complete; [] for a future rv. */
  since(rv: bigint): WindowEvent[] | TooOld {
    assertRv(rv, 'rv');
    this.prune();
    if (rv < this.floor) return new TooOld(rv, this.floor);
    return this.events.slice(this.firstAfter(rv));
  }

  /** Events in (fromExclusive, toInclusive], for healing a gap; NotYet when toInclusive is past latestRv. */
  range(fromExclusive: bigint, toInclusive: bigint): WindowEvent[] | TooOld | NotYet {
    assertRv(fromExclusive, 'fromExclusive');
    assertRv(toInclusive, 'toInclusive');
    if (fromExclusive > toInclusive)
      throw new RangeError(`empty range (${fromExclusive}, ${toInclusive}]`);
    this.prune();
    if (fromExclusive < this.floor) return new TooOld(fromExclusive, this.floor);
    if (toInclusive > this.through) return new NotYet(toInclusive, this.through);
    return this.events.slice(this.firstAfter(fromExclusive), this.firstAfter(toInclusive));
  }

  /** too-old: 410; resumable: since() is complete; future: wait for the window to catch up. */
  position(rv: bigint): RvPosition {
    assertRv(rv, 'rv');
    this.prune();
    if (rv < this.floor) return 'too-old';
    return rv > this.through ? 'future' : 'resumable';
  }

  isFuture(rv: bigint): boolean {
    assertRv(rv, 'rv');
    return rv > this.through;
  }

  /** The smallest rv from which since() is complete. */
  get oldestResumableRv(): bigint {
    this.prune();
    return this.floor;
  }

  /** The window knows the resource's history up to this revision. */
  get latestRv(): bigint {
    return this.through;
  }

  /** The rv of the resource's last known event, if any was seen (retained or not). */
  get lastEventRv(): bigint | undefined {
    return this.lastEvent;
  }

  get size(): number {
    return this.events.length - this.head;
  }

  get byteSize(): number {
    return this.bytes;
  }

  /** Drops all history: the cache relisted at startRv (after compaction or an etcd restart). */
  reset(startRv: bigint, lastEventRv?: bigint): void {
    assertRv(startRv, 'startRv');
    if (lastEventRv !== undefined) {
      assertRv(lastEventRv, 'lastEventRv');
      if (lastEventRv > startRv) throw new RangeError('lastEventRv must not exceed startRv');
    }
    this.events = [];
    this.head = 0;
    this.bytes = 0;
    this.floor = startRv;
    this.through = startRv;
    this.lastEvent = lastEventRv;
  }

  /** Evicts events past their age or over the caps; returns how many went. */
  prune(): number {
    const cutoff = this.now() - this.maxAgeMs;
    let evicted = 0;
    while (this.head < this.events.length) {
      const e = this.events[this.head]!;
      const over = this.events.length - this.head > this.maxEvents || this.bytes > this.maxBytes;
      if (!over && e.timestamp >= cutoff) break;
      this.events[this.head] = undefined as unknown as WindowEvent; // let the payload go
      this.head++;
      this.bytes -= eventBytes(e);
      this.floor = e.rv;
      evicted++;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    return evicted;
  }

  /** Index of the first retained event with rv > given. */
  private firstAfter(rv: bigint): number {
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
