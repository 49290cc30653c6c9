// The gateway's registry of resource feeds: one ResourceFeed per (group, resource), created
// by the first watch of that resource and closed a while after its last watcher left (so a
// client reconnecting right away finds the feed and its local window still warm).
//
// A new watcher joins the feed's shared dispatcher when it starts at or after the
// dispatcher's position; one starting earlier catches up on its own subscription (the feed
// serves it from its window or the watch-cache's) and joins the dispatcher once it has
// caught up with it, so steady-state fan-out is one subscription per resource.
import type { FeedListener, FeedSubscription } from '@splitplane/informer';
import { Dispatcher, type SubscribableFeed } from './dispatcher.js';
import type { Watcher } from './watcher.js';

/** What the hub needs of a ResourceFeed. */
export interface WatchFeed extends SubscribableFeed {
  /** Subscribes the resource's subject; resolves once the server has the subscription. */
  start(): Promise<void> | void;
  close(): void;
}

export type FeedFactory = (group: string, resource: string) => WatchFeed | Promise<WatchFeed>;

export interface FeedHubOptions {
  /** How long a feed outlives its last watcher (default 30 s). */
  idleCloseMs?: number;
}

export interface FeedLease {
  /** Starts feeding `watcher` every event after fromRv. */
  attach(watcher: Watcher, fromRv: bigint): void;
  release(): void;
}

interface Entry {
  feed: Promise<WatchFeed>;
  users: number;
  idle: NodeJS.Timeout | undefined;
  dispatcher: Dispatcher | undefined;
}

export class FeedHub {
  private readonly entries = new Map<string, Entry>();
  private readonly idleCloseMs: number;
  private closed = false;

  constructor(
    private readonly factory: FeedFactory,
    opts: FeedHubOptions = {},
  ) {
    this.idleCloseMs = opts.idleCloseMs ?? 30_000;
  }

  /** Feeds currently open (tests, metrics). */
  get size(): number {
    return this.entries.size;
  }

  async acquire(group: string, resource: string): Promise<FeedLease> {
    if (this.closed) throw new Error('feed hub is closed');
    const k = `${group}/${resource}`;
    let entry = this.entries.get(k);
    if (!entry) {
      const created: Entry = {
        feed: Promise.resolve()
          .then(() => this.factory(group, resource))
          .then(async (feed) => {
            await feed.start();
            return feed;
          }),
        users: 0,
        idle: undefined,
        dispatcher: undefined,
      };
      created.feed.catch(() => {
        if (this.entries.get(k) === created) this.entries.delete(k);
      });
      this.entries.set(k, created);
      entry = created;
    }
    entry.users++;
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = undefined;
    let feed: WatchFeed;
    try {
      feed = await entry.feed;
    } catch (err) {
      this.release(k, entry);
      throw err;
    }
    let released = false;
    const e = entry;
    return {
      attach: (watcher, fromRv) => attach(e, feed, watcher, fromRv),
      release: () => {
        if (released) return;
        released = true;
        this.release(k, e);
      },
    };
  }

  close(): void {
    this.closed = true;
    for (const entry of this.entries.values()) this.shut(entry);
    this.entries.clear();
  }

  private release(k: string, entry: Entry): void {
    entry.users--;
    if (entry.users > 0 || this.entries.get(k) !== entry) return;
    entry.idle = setTimeout(() => {
      if (entry.users > 0) return;
      this.entries.delete(k);
      this.shut(entry);
    }, this.idleCloseMs);
    entry.idle.unref();
  }

  private shut(entry: Entry): void {
    if (entry.idle) clearTimeout(entry.idle);
    // Closing the feed ends every subscription, the dispatcher's included, so each watcher
    // still open ends cleanly (clients resume from their last RV).
    entry.feed.then((f) => f.close()).catch(() => undefined);
  }
}

function attach(entry: Entry, feed: WatchFeed, watcher: Watcher, fromRv: bigint): void {
  const current = entry.dispatcher;
  if (!current || current.dead) {
    const dispatcher = new Dispatcher(feed, fromRv, (d) => {
      if (entry.dispatcher === d) entry.dispatcher = undefined;
      d.close();
    });
    entry.dispatcher = dispatcher;
    dispatcher.join(watcher, fromRv);
    dispatcher.start();
    return;
  }
  if (current.confirmed && fromRv >= current.pos) {
    current.join(watcher, fromRv);
    return;
  }
  catchUp(entry, feed, watcher, fromRv);
}

/** Its own subscription from fromRv until the watcher reaches the shared dispatcher. */
function catchUp(entry: Entry, feed: WatchFeed, watcher: Watcher, fromRv: bigint): void {
  let subscription: FeedSubscription | undefined;
  let done = false;
  const finish = () => {
    done = true;
    subscription?.close();
    subscription = undefined;
  };
  const tryJoin = () => {
    const d = entry.dispatcher;
    if (watcher.isStopped || !d || d.dead || !d.confirmed) return;
    const pos = watcher.position();
    if (pos < d.pos) return;
    finish();
    d.join(watcher, pos);
  };
  const listener: FeedListener = {
    event(event) {
      if (done) return;
      watcher.handle(event);
      tryJoin();
    },
    progress(rv) {
      if (done) return;
      watcher.progress(rv);
      tryJoin();
    },
    end(error) {
      if (done) return;
      done = true;
      watcher.feedEnded(error);
    },
  };
  watcher.onStop = finish;
  const s = feed.subscribe(fromRv, listener);
  if (done) s.close();
  else subscription = s;
}
