// The InformerHub over the watch-cache and NATS: one shared informer per resource, created
// and started on first use, and consistent live reads for cache misses.
import { StatusError } from '@splitplane/apimachinery';
import { Informer, type InformerResource } from '@splitplane/informer';
import { call, type Logger, type NatsConnection } from '@splitplane/kit';
import { GetRequest, ListRequest, type WatchCacheClient } from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import type { InformerHub } from '../chain/plugin-deps.js';

export interface WatchCacheHubOptions {
  watchCache: WatchCacheClient;
  nats: NatsConnection;
  log?: Logger;
  /** Deadline of each live Get/List call (default 10 s). */
  requestTimeoutMs?: number;
}

const keyOfResource = (r: InformerResource): string => `${r.group}/${r.version}/${r.resource}`;

export class WatchCacheHub implements InformerHub {
  readonly #opts: WatchCacheHubOptions;
  readonly #informers = new Map<string, Informer>();
  #stopped = false;

  constructor(opts: WatchCacheHubOptions) {
    this.#opts = opts;
  }

  informer(resource: InformerResource): Informer {
    const key = keyOfResource(resource);
    let informer = this.#informers.get(key);
    if (informer) return informer;
    informer = new Informer({
      watchCache: this.#opts.watchCache,
      nats: this.#opts.nats,
      def: resource,
      ...(this.#opts.log ? { log: this.#opts.log.child({ informer: key }) } : {}),
    });
    this.#informers.set(key, informer);
    if (!this.#stopped) {
      // start() retries transient failures itself; a permanent refusal (the resource does
      // not exist) stays unsynced and is logged, and waitForSync reports it.
      informer.start().catch((err: unknown) => {
        this.#opts.log?.error({ err, resource: key }, 'admission informer failed to start');
      });
    }
    return informer;
  }

  /** Resolves when every informer created so far has synced (rejects as its start does). */
  async waitForSync(): Promise<void> {
    for (;;) {
      const informers = [...this.#informers.values()];
      await Promise.all(informers.map((i) => i.start()));
      if (this.#informers.size === informers.length) return;
    }
  }

  get hasSynced(): boolean {
    return [...this.#informers.values()].every((i) => i.hasSynced);
  }

  async get(
    resource: InformerResource,
    namespace: string,
    name: string,
  ): Promise<KubeObject | undefined> {
    const client = this.#opts.watchCache;
    try {
      // An empty resourceVersion is a consistent (quorum) read, as kube's live lookups.
      const response = await call(
        client,
        client.get,
        GetRequest.fromPartial({
          attributes: { resource: gvrOf(resource), namespace, name },
          resourceVersion: '',
        }),
        { deadline: this.#deadline() },
        'watch-cache',
      );
      return JSON.parse(Buffer.from(response.object).toString('utf8')) as KubeObject;
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return undefined;
      throw err;
    }
  }

  async list(resource: InformerResource, namespace: string): Promise<KubeObject[]> {
    const client = this.#opts.watchCache;
    const objects: KubeObject[] = [];
    let cont = '';
    do {
      const page = await call(
        client,
        client.list,
        ListRequest.fromPartial({
          attributes: { resource: gvrOf(resource), namespace },
          options: { limit: '500', continue: cont },
        }),
        { deadline: this.#deadline() },
        'watch-cache',
      );
      for (const item of page.items)
        objects.push(JSON.parse(Buffer.from(item).toString('utf8')) as KubeObject);
      cont = page.continue;
    } while (cont);
    return objects;
  }

  stop(): void {
    this.#stopped = true;
    for (const informer of this.#informers.values()) informer.stop();
  }

  #deadline(): Date {
    return new Date(Date.now() + (this.#opts.requestTimeoutMs ?? 10_000));
  }
}

function gvrOf(r: InformerResource): { group: string; version: string; resource: string } {
  return { group: r.group, version: r.version, resource: r.resource };
}
