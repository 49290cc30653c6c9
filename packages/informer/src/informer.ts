// List from the watch-cache, then follow the resource's ResourceFeed from the list's RV
// into a local indexed store (client-go's informer, on splitplane's NATS fan-out). A 410
// relists and emits the differences; any other break resumes from the last RV.
import {
  filterFor,
  toStatusError,
  type ObjectFilter,
  type SelectableResource,
  type StatusError,
} from '@splitplane/apimachinery';
import { call, type Logger, type NatsConnection } from '@splitplane/kit';
import { ListRequest, type WatchCacheClient } from '@splitplane/proto';
import type { KubeObject, ResourceDefinition } from '@splitplane/scheme';
import { Backoff, sleep } from './backoff.js';
import { grpcEventHistory } from './event-history.js';
import { parseRv } from './feed-event.js';
import type { FeedEvent, FeedSubscription } from './feed-types.js';
import { ResourceFeed } from './resource-feed.js';
import { isExpired, isPermanent } from './status-code.js';
import { IndexedStore, keyOf, type Indexer, type ReadonlyStore } from './store.js';

/** A resource named without a full ResourceDefinition (field selectors then see only metadata). */
export interface InformerResource {
  group: string;
  version: string;
  resource: string;
  kind?: string;
  namespaced?: boolean;
  selectableFields?: string[];
}

export interface InformerOptions {
  watchCache: WatchCacheClient;
  /** Needed unless `feed` is given. */
  nats?: NatsConnection;
  /** Lists use its storage version: feed events carry storage-version objects. */
  def: ResourceDefinition | InformerResource;
  /** Only this namespace (namespaced resources); all namespaces when absent. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  indexers?: Record<string, Indexer>;
  log?: Logger;
  /** A feed of the same resource shared with others; it is not closed by stop(). */
  feed?: ResourceFeed;
  /** LIST page size (default 500). */
  pageSize?: number;
  /** Deadline of each List call (default 30 s). */
  requestTimeoutMs?: number;
}

export interface InformerHandlers {
  add: (obj: KubeObject) => void;
  update: (oldObj: KubeObject, newObj: KubeObject) => void;
  delete: (obj: KubeObject) => void;
}

export class InformerStoppedError extends Error {
  constructor() {
    super('informer stopped');
    this.name = 'InformerStoppedError';
  }
}

export class Informer {
  readonly store: ReadonlyStore;
  readonly #store: IndexedStore;
  readonly #opts: InformerOptions;
  readonly #gvr: { group: string; version: string; resource: string };
  readonly #filter: ObjectFilter;
  readonly #handlers: { [E in keyof InformerHandlers]: Set<InformerHandlers[E]> } = {
    add: new Set(),
    update: new Set(),
    delete: new Set(),
  };
  readonly #abort = new AbortController();
  readonly #resubscribeBackoff = new Backoff(100, 5_000);
  #feed: ResourceFeed | undefined;
  #sub: FeedSubscription | undefined;
  #rv: bigint | undefined;
  #synced = false;
  #starting: Promise<void> | undefined;
  #stopped = false;

  /** Throws a 400 StatusError for a selector kube would reject. */
  constructor(opts: InformerOptions) {
    this.#opts = opts;
    const def = opts.def;
    const full = 'plural' in def;
    this.#gvr = full
      ? { group: def.group, version: def.storageVersion || def.version, resource: def.plural }
      : { group: def.group, version: def.version, resource: def.resource };
    const selectable: SelectableResource = full
      ? def
      : {
          group: def.group,
          kind: def.kind ?? '',
          namespaced: def.namespaced ?? true,
          selectableFields: def.selectableFields ?? [],
        };
    try {
      this.#filter = filterFor(selectable, opts.labelSelector ?? '', opts.fieldSelector ?? '');
    } catch (err) {
      throw toStatusError(err);
    }
    this.#store = new IndexedStore(opts.indexers);
    this.store = this.#store;
    if (!opts.feed && !opts.nats) throw new TypeError('Informer needs either nats or a feed');
  }

  /** The feed it follows (its own, or the injected one); undefined before start(). */
  get feed(): ResourceFeed | undefined {
    return this.#feed;
  }

  get hasSynced(): boolean {
    return this.#synced;
  }

  /** The RV the store is complete through (kube's lastSyncResourceVersion); '' before sync. */
  get lastSyncResourceVersion(): string {
    return this.#rv?.toString() ?? '';
  }

  /** Returns a function that removes the handler. */
  on<E extends keyof InformerHandlers>(event: E, handler: InformerHandlers[E]): () => void {
    const set = this.#handlers[event] as Set<InformerHandlers[E]>;
    set.add(handler);
    return () => set.delete(handler);
  }

  /**
   * Lists, fills the store (an add per object), subscribes, and resolves once synced.
   * Rejects with the StatusError of a list kube would refuse (400, 403, 404...).
   */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#abort.abort();
    this.#sub?.close();
    this.#sub = undefined;
    if (!this.#opts.feed) this.#feed?.close();
  }

  async #start(): Promise<void> {
    if (this.#opts.feed) {
      this.#feed = this.#opts.feed;
    } else {
      this.#feed = new ResourceFeed({
        nats: this.#opts.nats!,
        group: this.#gvr.group,
        resource: this.#gvr.resource,
        history: grpcEventHistory(this.#opts.watchCache, this.#gvr.group, this.#gvr.resource),
        ...(this.#opts.log ? { log: this.#opts.log } : {}),
      });
    }
    try {
      await this.#feed.start();
      await this.#relist(true);
    } catch (err) {
      // A start that failed for good leaves nothing running behind it.
      if (!this.#opts.feed) this.#feed.close();
      throw err;
    }
    this.#synced = true;
  }

  /** Lists until it succeeds (or, on the first sync, fails for good), then subscribes. */
  async #relist(initial: boolean): Promise<void> {
    const backoff = new Backoff(200, 10_000);
    for (;;) {
      if (this.#stopped) throw new InformerStoppedError();
      try {
        const { objects, rv } = await this.#list();
        if (this.#stopped) throw new InformerStoppedError();
        this.#replace(objects);
        this.#rv = rv;
        this.#subscribe(rv);
        return;
      } catch (err) {
        if (err instanceof InformerStoppedError) throw err;
        if (initial && isPermanent(err)) throw err;
        this.#opts.log?.warn(
          { err, resource: this.#gvr.resource },
          'informer list failed; retrying',
        );
      }
      if (!(await sleep(backoff.next(), this.#abort.signal))) throw new InformerStoppedError();
    }
  }

  /** A consistent, paged LIST; an expired continue token starts over. */
  async #list(): Promise<{ objects: KubeObject[]; rv: bigint }> {
    const pageSize = this.#opts.pageSize ?? 500;
    const timeoutMs = this.#opts.requestTimeoutMs ?? 30_000;
    for (;;) {
      const objects: KubeObject[] = [];
      let cont = '';
      let rv = '';
      try {
        do {
          const request = ListRequest.fromPartial({
            attributes: { resource: this.#gvr, namespace: this.#opts.namespace ?? '' },
            options: {
              labelSelector: this.#opts.labelSelector ?? '',
              fieldSelector: this.#opts.fieldSelector ?? '',
              limit: String(pageSize),
              continue: cont,
            },
          });
          const client = this.#opts.watchCache;
          const page = await call(
            client,
            client.list,
            request,
            {
              deadline: new Date(Date.now() + timeoutMs),
            },
            'watch-cache',
          );
          for (const item of page.items)
            objects.push(JSON.parse(item.toString('utf8')) as KubeObject);
          rv ||= page.resourceVersion;
          cont = page.continue;
        } while (cont && !this.#stopped);
        return { objects, rv: parseRv(rv) };
      } catch (err) {
        if (cont && isExpired(err)) continue; // the snapshot compacted away mid-list
        throw err;
      }
    }
  }

  /** Makes the store equal `objects`, emitting each difference. */
  #replace(objects: KubeObject[]): void {
    const seen = new Set<string>();
    for (const obj of objects) {
      const key = keyOf(obj);
      seen.add(key);
      const old = this.#store.getByKey(key);
      if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) continue;
      this.#store.set(obj);
      if (old) this.#emit('update', old, obj);
      else this.#emit('add', obj);
    }
    for (const key of [...this.#store.keys()]) {
      if (seen.has(key)) continue;
      const old = this.#store.delete(key)!;
      this.#emit('delete', old);
    }
  }

  #subscribe(fromRv: bigint): void {
    if (this.#stopped) return;
    this.#sub = this.#feed!.subscribe(fromRv, {
      event: (event) => this.#onEvent(event),
      progress: (rv) => {
        this.#rv = rv;
        this.#resubscribeBackoff.reset();
      },
      end: (error) => this.#onEnd(error),
    });
  }

  #onEvent(event: FeedEvent): void {
    this.#apply(event);
    // Only once applied: an event that threw is delivered again after the resubscription.
    this.#rv = event.rv;
    this.#resubscribeBackoff.reset();
  }

  #apply(event: FeedEvent): void {
    const ns = this.#opts.namespace;
    if (ns && event.namespace !== ns) return; // before parsing: most events may be elsewhere
    const obj = event.parsed();
    const key = keyOf(obj);
    const old = this.#store.getByKey(key);
    const matches = event.type !== 'DELETED' && this.#filter.matches(obj);
    if (matches) {
      this.#store.set(obj);
      if (old) this.#emit('update', old, obj);
      else this.#emit('add', obj);
    } else if (old) {
      // Deleted, or it left the selector: either way the informer's view loses it.
      this.#store.delete(key);
      this.#emit('delete', obj);
    }
  }

  #onEnd(error: StatusError | undefined): void {
    this.#sub = undefined;
    if (this.#stopped) return;
    if (error?.code === 410) {
      this.#opts.log?.info({ resource: this.#gvr.resource }, 'informer watch expired; relisting');
      this.#relist(false).catch(() => {}); // only a stop ends it
      return;
    }
    if (this.#feed!.closed) {
      this.#opts.log?.warn(
        { resource: this.#gvr.resource },
        'shared feed closed; informer no longer updates',
      );
      return;
    }
    void sleep(this.#resubscribeBackoff.next(), this.#abort.signal).then((ok) => {
      if (ok && !this.#stopped) this.#subscribe(this.#rv!);
    });
  }

  #emit<E extends keyof InformerHandlers>(
    event: E,
    ...args: Parameters<InformerHandlers[E]>
  ): void {
    for (const handler of this.#handlers[event]) {
      try {
        (handler as (...a: unknown[]) => void)(...args);
      } catch (err) {
        this.#opts.log?.warn({ err, event }, 'informer handler threw');
      }
    }
  }
}
