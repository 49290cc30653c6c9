// One client's watch stream: turns the resource's feed events into the events this client
// sees (namespace, name and selector scoping with kube's transitions), writes them through
// a bounded queue, and sends bookmarks. It never blocks the feed: a client that cannot keep
// up is ended cleanly and resumes from its last resourceVersion, as kube's cacher does with
// a watcher whose buffer stays full.
import type { Writable } from 'node:stream';
import type { ObjectFilter, Status } from '@splitplane/apimachinery';
import type { FeedEvent } from '@splitplane/informer';
import type { KubeObject } from '@splitplane/scheme';
import type { EventEncoder } from './event-encoder.js';

export interface WatcherScope {
  /** '' watches every namespace. */
  namespace: string;
  /** '' watches every name (`fieldSelector=metadata.name=x` or a named watch sets it). */
  name: string;
  /** Pods watched by `spec.nodeName=x`: indexed like kube's triggerFunc. */
  nodeName?: string;
  filter: ObjectFilter;
}

export interface WatcherOptions {
  scope: WatcherScope;
  encoder: EventEncoder;
  sink: Writable;
  /** Events at or before this resourceVersion are not this client's. */
  startRv: bigint;
  allowWatchBookmarks: boolean;
  bookmarkIntervalMs: number;
  /** When the watch ends (epoch ms); a bookmark goes out 2 s before, as kube does. */
  deadline: number;
  /** Bytes a client may have queued before it counts as too slow. */
  maxQueueBytes: number;
  /** How long the socket may stay unwritable before the client counts as too slow. */
  maxUnwritableMs: number;
}

export type WatchEnd = 'timeout' | 'client' | 'slow' | 'feed-closed' | 'error';

/** How long a slow client gets to take what is already queued before its socket is cut. */
const SLOW_DRAIN_GRACE_MS = 5_000;
const PRE_TIMEOUT_BOOKMARK_MS = 2_000;

export class Watcher {
  readonly scope: WatcherScope;
  /** Settles when the stream is over. */
  readonly done: Promise<WatchEnd>;
  /** Set by whoever feeds this watcher: detaches it (called once, when it stops). */
  onStop: (() => void) | undefined;
  /** Set when joined to a shared dispatcher: the position its history is complete through. */
  positionSource: (() => bigint) | undefined;

  private after: bigint;
  private lastRv: bigint;
  /** Where the stream started (after initial events: the list RV). */
  private readonly startRv: bigint;
  private stopped = false;
  private resolveDone!: (end: WatchEnd) => void;
  private readonly timers: NodeJS.Timeout[] = [];
  private unwritable: NodeJS.Timeout | undefined;

  constructor(private readonly opts: WatcherOptions) {
    this.scope = opts.scope;
    this.after = opts.startRv;
    this.startRv = opts.startRv;
    this.lastRv = opts.startRv;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    const remaining = opts.deadline - Date.now();
    this.timer(() => this.stop('timeout'), remaining);
    if (opts.allowWatchBookmarks) {
      const periodic = setInterval(() => this.bookmark(), opts.bookmarkIntervalMs);
      periodic.unref();
      this.timers.push(periodic);
      if (remaining > PRE_TIMEOUT_BOOKMARK_MS) {
        this.timer(() => this.bookmark(), remaining - PRE_TIMEOUT_BOOKMARK_MS);
      }
    }
    opts.sink.on('close', () => this.stop('client'));
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The resourceVersion this client's history is complete through. */
  position(): bigint {
    const shared = this.positionSource?.() ?? 0n;
    return shared > this.lastRv ? shared : this.lastRv;
  }

  /** From now on only events after `rv` are new to this client (joining a shared feed). */
  skipThrough(rv: bigint): void {
    if (rv > this.after) this.after = rv;
    if (rv > this.lastRv) this.lastRv = rv;
  }

  /** One feed event, in resourceVersion order. */
  handle(event: FeedEvent): void {
    if (this.stopped || event.rv <= this.after) return;
    this.after = event.rv;
    this.lastRv = event.rv;
    const { namespace, name, filter } = this.scope;
    if (namespace && event.namespace !== namespace) return;
    if (name && event.name !== name) return;
    const { encoder } = this.opts;
    if (filter.everything) {
      this.write(encoder.event(event.type, event, 'object'));
      return;
    }
    // kube's cacheWatcher: the current state decides ADDED/MODIFIED, the previous one
    // whether a watcher that no longer matches sees the object leave (DELETED).
    let now = false;
    let before = false;
    if (event.type === 'DELETED') {
      before = filter.matches(event.parsed() as KubeObject);
    } else {
      now = filter.matches(event.parsed() as KubeObject);
      if (event.type === 'MODIFIED') {
        const prev = event.parsedPrev();
        before = prev ? filter.matches(prev as KubeObject) : now;
      }
    }
    if (now) {
      this.write(encoder.event(before ? 'MODIFIED' : 'ADDED', event, 'object'));
    } else if (before) {
      // A deleted object's event already carries its last state at the delete's RV; one
      // leaving the selector goes out as its previous state at this event's RV.
      const source = event.type === 'DELETED' ? 'object' : 'prev';
      this.write(encoder.event('DELETED', event, source));
    }
  }

  /** The resource's history is complete through rv (no event of it up to rv is missing). */
  progress(rv: bigint): void {
    if (rv > this.lastRv) this.lastRv = rv;
    if (rv > this.after) this.after = rv;
  }

  /** The initial-events-end bookmark of a watch-list. */
  initialEventsEnd(rv: bigint): void {
    this.write(this.opts.encoder.bookmark(rv, true));
  }

  /** An ERROR event, then the end (e.g. 410 Expired when continuity was lost). */
  fail(status: Status): void {
    if (this.stopped) return;
    this.opts.sink.write(this.opts.encoder.error(status));
    this.stop('error');
  }

  /** The feed ended: with a StatusError the client gets it as an ERROR event. */
  feedEnded(error?: { status: Status }): void {
    if (error) this.fail(error.status);
    else this.stop('feed-closed');
  }

  stop(reason: WatchEnd): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    if (this.unwritable) clearTimeout(this.unwritable);
    const onStop = this.onStop;
    this.onStop = undefined;
    onStop?.();
    const { sink } = this.opts;
    if (!sink.writableEnded) sink.end();
    if (reason === 'slow' && !sink.destroyed) {
      // A client that does not read at all must not pin its queue for ever.
      const cut = setTimeout(() => sink.destroy(), SLOW_DRAIN_GRACE_MS);
      cut.unref();
      sink.once('close', () => clearTimeout(cut));
    }
    this.resolveDone(reason);
  }

  /**
   * As kube's cacheWatcher: a bookmark at the position the history is complete through,
   * once that is past the watch's start (kube repeats it while nothing changes).
   */
  private bookmark(): void {
    if (this.stopped) return;
    const rv = this.position();
    if (rv > this.startRv) this.write(this.opts.encoder.bookmark(rv));
  }

  private write(bytes: Buffer): void {
    if (this.stopped) return;
    const { sink, maxQueueBytes, maxUnwritableMs } = this.opts;
    const ok = sink.write(bytes);
    if (sink.writableLength > maxQueueBytes) {
      this.stop('slow');
      return;
    }
    if (!ok && !this.unwritable) {
      this.unwritable = setTimeout(() => this.stop('slow'), maxUnwritableMs);
      this.unwritable.unref();
      sink.once('drain', () => {
        if (this.unwritable) clearTimeout(this.unwritable);
        this.unwritable = undefined;
      });
    }
  }

  private timer(fn: () => void, ms: number): void {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    this.timers.push(t);
  }
}
