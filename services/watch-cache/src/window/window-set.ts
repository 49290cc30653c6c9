// The event windows of every resource, fed from the one etcd stream of a replica. Because
// that stream is ordered across all keys, an event at rv r also proves that every other
// resource is complete through r - 1 (other keys may still change at r in the same txn);
// advance(r) after a whole watch response proves r. Windows pick that up lazily, so an
// idle resource stays resumable at any revision the stream has passed.
import { assertRv } from './rv.js';
import type { EventInput, WindowEvent } from './event.js';
import { NotYet, OutOfOrderEventError, TooOld, type RvPosition } from './errors.js';
import { EventWindow, type WindowLimits } from './event-window.js';

/** "<group>/<resource>", or just "<resource>" for the core group. */
export function resourceKey(group: string, resource: string): string {
  return group ? `${group}/${resource}` : resource;
}

export interface WindowSetOptions extends WindowLimits {
  /** Every window holds the complete history after this revision (the list revision). */
  startRv?: bigint;
}

export class WindowSet {
  private readonly limits: WindowLimits;
  private readonly windows = new Map<string, EventWindow>();
  private startRv: bigint;
  private through: bigint;
  private lastStreamRv: bigint;

  constructor(options: WindowSetOptions = {}) {
    const { startRv, ...limits } = options;
    this.limits = limits;
    this.startRv = startRv ?? 0n;
    assertRv(this.startRv, 'startRv');
    this.through = this.startRv;
    this.lastStreamRv = this.startRv;
  }

  /** Routes the next event of the stream to its resource's window. */
  append(resource: string, input: EventInput): WindowEvent {
    assertRv(input.rv, 'rv');
    // Across resources the stream may repeat a revision (a multi-key txn) but never go back.
    if (input.rv < this.lastStreamRv || input.rv <= this.through)
      throw new OutOfOrderEventError(
        resource,
        input.rv,
        input.rv < this.lastStreamRv ? this.lastStreamRv : this.through,
      );
    const window = this.windowFor(resource, true)!;
    const event = window.append(input);
    this.lastStreamRv = input.rv;
    if (input.rv - 1n > this.through) this.through = input.rv - 1n;
    return event;
  }

  /** The whole stream is complete through revision (progress notification, end of a response). */
  advance(revision: bigint): boolean {
    assertRv(revision, 'revision');
    if (revision <= this.through) return false;
    this.through = revision;
    return true;
  }

  since(resource: string, rv: bigint): WindowEvent[] | TooOld {
    const window = this.windowFor(resource, false);
    if (window) return window.since(rv);
    assertRv(rv, 'rv');
    return rv < this.startRv ? new TooOld(rv, this.startRv) : [];
  }

  range(
    resource: string,
    fromExclusive: bigint,
    toInclusive: bigint,
  ): WindowEvent[] | TooOld | NotYet {
    const window = this.windowFor(resource, false);
    if (window) return window.range(fromExclusive, toInclusive);
    assertRv(fromExclusive, 'fromExclusive');
    assertRv(toInclusive, 'toInclusive');
    if (fromExclusive > toInclusive)
      throw new RangeError(`empty range (${fromExclusive}, ${toInclusive}]`);
    if (fromExclusive < this.startRv) return new TooOld(fromExclusive, this.startRv);
    return toInclusive > this.through ? new NotYet(toInclusive, this.through) : [];
  }

  position(resource: string, rv: bigint): RvPosition {
    const window = this.windowFor(resource, false);
    if (window) return window.position(rv);
    assertRv(rv, 'rv');
    if (rv < this.startRv) return 'too-old';
    return rv > this.through ? 'future' : 'resumable';
  }

  isFuture(resource: string, rv: bigint): boolean {
    return this.position(resource, rv) === 'future';
  }

  oldestResumableRv(resource: string): bigint {
    return this.windowFor(resource, false)?.oldestResumableRv ?? this.startRv;
  }

  latestRv(resource: string): bigint {
    const window = this.windowFor(resource, false);
    return window ? window.latestRv : this.through;
  }

  /** The revision through which every resource's history is known. */
  get streamRv(): bigint {
    return this.through;
  }

  /** The window of a resource that has seen traffic, if any. */
  window(resource: string): EventWindow | undefined {
    return this.windowFor(resource, false);
  }

  resources(): string[] {
    return [...this.windows.keys()];
  }

  /** Evicts expired events in every window; returns how many went. */
  prune(): number {
    let n = 0;
    for (const w of this.windows.values()) n += w.prune();
    return n;
  }

  /** Drops all history: the cache relisted at startRv. */
  reset(startRv: bigint): void {
    assertRv(startRv, 'startRv');
    this.windows.clear();
    this.startRv = startRv;
    this.through = startRv;
    this.lastStreamRv = startRv;
  }

  private windowFor(resource: string, create: boolean): EventWindow | undefined {
    let window = this.windows.get(resource);
    if (!window) {
      if (!create) return undefined;
      // A resource first seen now had no events since startRv: the stream would have shown them.
      window = new EventWindow({ ...this.limits, resource, startRv: this.startRv });
      this.windows.set(resource, window);
    }
    window.advance(this.through);
    return window;
  }
}
