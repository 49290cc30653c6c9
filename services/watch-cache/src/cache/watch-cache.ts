// The cache of one replica: every object under /registry/ listed at one revision, then kept
// current by one etcd watch of the whole prefix (DESIGN §4). Each watch response is applied
// synchronously: stores, event windows, then the revision. Compaction relists; a lost
// stream re-watches from rv+1 (and relists only if that start is compacted by then).
import type { Logger } from '@splitplane/kit';
import type { ResourceDefinition, Scheme } from '@splitplane/scheme';
import {
  watchPrefix,
  type EtcdStorage,
  type EtcdWatchEvent,
  type WatchStream,
} from '@splitplane/storage';
import {
  WindowAppendError,
  WindowSet,
  type EventInput,
  type WindowEvent,
  type WindowLimits,
} from '../window/index.js';
import { applyToStore } from './apply-event.js';
import { ResourceNotCachedError, StaleListError } from './errors.js';
import { KeyRouter, type RoutedResource } from './key-router.js';
import { listSnapshot, LIST_PAGE_SIZE } from './registry-snapshot.js';
import { ResourceStore } from './resource-store.js';
import { RevisionWaiters } from './revision-waiters.js';
import type { CacheView, ResourceCache } from './types.js';

export interface WatchCacheOptions {
  storage: EtcdStorage;
  scheme: Scheme;
  log: Logger;
  windowLimits?: WindowLimits;
  /** The watched prefix; default '/registry/'. */
  prefix?: string;
  listPageSize?: number;
  /** A wait lasting this long asks etcd for a progress notification (default 100 ms). */
  progressRequestAfterMs?: number;
  /** Re-watch / relist backoff bounds (default 100 ms .. 2 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** Called synchronously right after an event is applied (publisher). Must not throw or block. */
export type CacheEventListener = (route: RoutedResource, event: WindowEvent) => void;

const LIST_TIMEOUT_MS = 60_000;
const SYNC_FETCH_TIMEOUT_MS = 10_000;
/** Idle windows evict expired events only when touched; sweep them now and then. */
const PRUNE_INTERVAL_MS = 10_000;

type WatchOutcome = 'compacted' | 'closed' | 'broken' | 'stopped';

export class WatchCache implements CacheView {
  readonly windows: WindowSet;
  private readonly storage: EtcdStorage;
  private readonly scheme: Scheme;
  private readonly log: Logger;
  private readonly prefix: string;
  private readonly pageSize: number;
  private readonly progressAfterMs: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private router: KeyRouter;
  private stores = new Map<string, ResourceStore>();
  private readonly waiters = new RevisionWaiters();
  private readonly listeners = new Set<CacheEventListener>();
  private isReady = false;
  private gen = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private watch: WatchStream | undefined;
  /** etcd's revision read after the current watch delivered its first message. */
  private syncRv: bigint | undefined;
  private syncFetching = false;
  private lastMessageAt = 0;
  private nudgeTimer: NodeJS.Timeout | undefined;
  private sleepTimer: { timer: NodeJS.Timeout; wake: () => void } | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(options: WatchCacheOptions) {
    this.storage = options.storage;
    this.scheme = options.scheme;
    this.log = options.log;
    this.prefix = options.prefix ?? '/registry/';
    this.pageSize = options.listPageSize ?? LIST_PAGE_SIZE;
    this.progressAfterMs = options.progressRequestAfterMs ?? 100;
    this.minBackoffMs = options.minBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 2_000;
    this.windows = new WindowSet({ ...options.windowLimits });
    this.router = new KeyRouter(this.scheme);
    // Empty stores until the first list, so resource() answers before ready too.
    for (const route of this.router.routes())
      this.stores.set(route.prefix, new ResourceStore(route.resource, route.def));
  }

  get rv(): bigint {
    return this.windows.streamRv;
  }

  get ready(): boolean {
    return this.isReady;
  }

  get generation(): number {
    return this.gen;
  }

  /**
   * The watch has caught up with etcd: it delivered a revision at or past one read after it
   * was created. Only then is a requested progress notification trusted to come after the
   * events it covers (etcd 3.4 answers it at once, even ahead of replayed history:
   * etcd-io/etcd#15220).
   */
  get synced(): boolean {
    return this.syncRv !== undefined && this.rv >= this.syncRv;
  }

  resource(def: ResourceDefinition): ResourceCache {
    const route = this.router.routeOf(def);
    const store = route && this.stores.get(route.prefix);
    if (!store) throw new ResourceNotCachedError(def);
    return store;
  }

  /** The resources this cache holds (one per etcd prefix of the scheme, at the last list). */
  routes(): RoutedResource[] {
    return this.router.routes();
  }

  /** The cached resource def belongs to, if the cache holds it. */
  routeOf(def: ResourceDefinition): RoutedResource | undefined {
    return this.router.routeOf(def);
  }

  onEvent(listener: CacheEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  waitUntil(target: bigint, deadline: number, signal?: AbortSignal): Promise<boolean> {
    if (this.rv >= target) return Promise.resolve(true);
    const waiting = this.waiters.wait(target, deadline, signal);
    this.scheduleNudge(this.progressAfterMs);
    return waiting;
  }

  async currentRevision(deadline: number): Promise<bigint> {
    return BigInt(await this.storage.currentRevision({ deadline: new Date(deadline) }));
  }

  /** Lists (retrying until etcd answers), then starts the watch; resolves once ready. */
  async start(): Promise<void> {
    if (this.loop) throw new Error('WatchCache already started');
    let backoff = this.minBackoffMs;
    while (!this.isReady && !this.stopped) {
      try {
        await this.relist();
      } catch (err) {
        this.log.warn({ err, retryInMs: backoff }, 'initial list failed');
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.maxBackoffMs);
      }
    }
    if (this.stopped) return;
    this.pruneTimer = setInterval(() => this.windows.prune(), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
    this.loop = this.run().catch((err: unknown) => {
      // Not expected: run() handles etcd failures itself. Stay up, serve what we have.
      this.log.error({ err }, 'watch-cache reflector stopped');
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.nudgeTimer);
    clearInterval(this.pruneTimer);
    this.sleepTimer?.wake();
    this.waiters.cancelAll();
    await this.watch?.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff = this.minBackoffMs;
    let needList = false;
    while (!this.stopped) {
      if (needList) {
        try {
          await this.relist();
          needList = false;
          backoff = this.minBackoffMs;
        } catch (err) {
          this.log.warn({ err, retryInMs: backoff }, 'relist failed');
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, this.maxBackoffMs);
        }
        continue;
      }
      const before = this.lastMessageAt;
      const outcome = await this.watchOnce();
      if (outcome === 'compacted' || outcome === 'broken') needList = true;
      else if (outcome === 'closed' || !this.stopped) {
        if (this.lastMessageAt !== before) backoff = this.minBackoffMs;
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.maxBackoffMs);
      }
    }
  }

  private async watchOnce(): Promise<WatchOutcome> {
    const start = this.rv + 1n;
    const watch = watchPrefix(this.storage.client, this.prefix, start.toString(), {
      prevKv: true,
      progressNotify: true,
    });
    this.watch = watch;
    this.syncRv = undefined;
    try {
      for await (const msg of watch) {
        if (this.stopped) return 'stopped';
        this.lastMessageAt = Date.now();
        switch (msg.kind) {
          case 'events':
            if (!this.apply(msg.events)) return 'broken';
            break;
          case 'progress': {
            const revision = BigInt(msg.revision);
            // Progress is only requested once synced, so one arriving before is periodic,
            // and etcd sends those only to watchers that have caught up: synced now.
            if (!this.synced) this.syncRv = revision;
            this.advance(revision);
            break;
          }
          case 'compacted':
            this.log.warn(
              { from: start.toString(), compactRevision: msg.compactRevision },
              'watch start revision compacted; relisting',
            );
            return 'compacted';
          case 'closed':
            this.log.warn(
              { err: msg.error, rv: this.rv.toString() },
              'etcd watch closed; re-watching',
            );
            return 'closed';
        }
        this.fetchSyncRevision(watch);
      }
      return 'stopped';
    } finally {
      if (this.watch === watch) this.watch = undefined;
      await watch.close();
    }
  }

  /** After the watch's first message (so etcd has created it), read etcd's revision once. */
  private fetchSyncRevision(watch: WatchStream): void {
    if (this.syncRv !== undefined || this.syncFetching) return;
    this.syncFetching = true;
    this.storage
      .currentRevision({ deadline: new Date(Date.now() + SYNC_FETCH_TIMEOUT_MS) })
      .then(
        (revision) => {
          if (this.watch === watch) this.syncRv = BigInt(revision);
        },
        (err: unknown) => this.log.debug({ err }, 'cannot read the revision for the sync check'),
      )
      .finally(() => (this.syncFetching = false));
  }

  /** Applies one watch response; false when the stream contradicts the cache (relist). */
  private apply(events: EtcdWatchEvent[]): boolean {
    let last = 0n;
    for (const ev of events) {
      const rv = BigInt(ev.modRevision);
      if (rv <= this.windows.streamRv) {
        // Only a progress notification that overtook its events can cause this (etcd 3.4).
        this.log.error(
          { rv: ev.modRevision, cacheRv: this.rv.toString() },
          'etcd sent an event behind the revision the cache reached; relisting',
        );
        return false;
      }
      last = rv;
      this.applyEvent(ev, rv);
    }
    if (last > 0n) this.advance(last);
    return true;
  }

  private applyEvent(ev: EtcdWatchEvent, rv: bigint): void {
    const parsed = this.router.parse(ev.key);
    if (!parsed) return; // splitplane keys and unknown prefixes only move the revision
    const store = this.stores.get(parsed.route.prefix)!;
    let input: EventInput | undefined;
    try {
      input = applyToStore(store, parsed, ev, rv);
      if (!input) return;
    } catch (err) {
      // A value that is not an object's JSON: not servable; drop it from the cache.
      store.remove(ev.key);
      this.log.warn({ err, key: ev.key, rv: ev.modRevision }, 'skipping undecodable value');
      return;
    }
    let event: WindowEvent;
    try {
      event = this.windows.append(parsed.route.resource, input);
    } catch (err) {
      if (!(err instanceof WindowAppendError)) throw err;
      // Two keys of one resource in one txn: the window cannot order them. Never expected.
      this.log.error({ err, key: ev.key }, 'event not recorded in the window');
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(parsed.route, event);
      } catch (err) {
        this.log.error({ err }, 'cache event listener failed');
      }
    }
  }

  private advance(revision: bigint): void {
    if (this.windows.advance(revision)) this.waiters.release(this.rv);
  }

  /** Lists at a new revision and installs it in one synchronous step. */
  private async relist(): Promise<void> {
    const router = new KeyRouter(this.scheme); // picks up resources added to the scheme
    const snapshot = await listSnapshot(
      this.storage,
      router,
      this.prefix,
      Date.now() + LIST_TIMEOUT_MS,
      this.pageSize,
    );
    if (this.isReady && snapshot.revision < this.rv)
      throw new StaleListError(snapshot.revision, this.rv);
    const first = !this.isReady;
    this.router = router;
    this.stores = snapshot.stores;
    this.windows.reset(snapshot.revision);
    if (!first) this.gen++;
    this.isReady = true;
    this.syncRv = undefined;
    this.waiters.release(this.rv);
    this.log.info(
      { revision: snapshot.revision.toString(), objects: snapshot.objects, generation: this.gen },
      first ? 'watch-cache loaded' : 'watch-cache relisted',
    );
  }

  private scheduleNudge(ms: number): void {
    if (this.nudgeTimer || this.stopped) return;
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = undefined;
      this.nudge();
    }, ms);
    this.nudgeTimer.unref();
  }

  /**
   * Someone waits for a revision the stream has not shown: writes outside the watched
   * prefix move etcd's revision without an event. Ask etcd for progress, but only when the
   * watch is synced and idle, so the answer cannot overtake events still due.
   */
  private nudge(): void {
    if (this.waiters.size === 0) return;
    const idleMs = Date.now() - this.lastMessageAt;
    if (this.watch && this.synced && idleMs >= this.progressAfterMs) this.watch.requestProgress();
    this.scheduleNudge(this.progressAfterMs * 2);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepTimer = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepTimer = { timer, wake };
    });
  }
}

/** Creates a cache and waits until it has listed and watches etcd. */
export async function createWatchCache(options: WatchCacheOptions): Promise<WatchCache> {
  const cache = new WatchCache(options);
  await cache.start();
  return cache;
}
