// The production FeedFactory: ResourceFeeds over the gateway's NATS connection, healing
// from the watch-cache's Events RPC. The connection is made in the background (readiness
// must not wait for NATS; the client reconnects for ever); a watch waits a bounded time
// for it and otherwise gets a 503 ERROR event.
import { newServiceUnavailable } from '@splitplane/apimachinery';
import {
  connectNats,
  type Logger,
  type NatsConnection,
  type NatsConnectOptions,
} from '@splitplane/kit';
import { ResourceFeed, grpcEventHistory } from '@splitplane/informer';
import type { WatchCacheClient } from '@splitplane/proto';
import type { FeedFactory } from './feed-hub.js';

export type NatsSecurity = Pick<NatsConnectOptions, 'tls' | 'user' | 'pass'>;

export interface NatsFeedsOptions {
  servers: readonly string[];
  security?: NatsSecurity;
  watchCache: WatchCacheClient;
  /** --testing-nats-drop-fraction: fault injection for the invariant test. */
  dropFraction?: number;
  log?: Logger;
  /** How long a watch waits for a NATS connection that is not up yet (default 10 s). */
  connectWaitMs?: number;
}

export interface NatsFeeds {
  factory: FeedFactory;
  close(): Promise<void>;
}

export function natsFeeds(opts: NatsFeedsOptions): NatsFeeds {
  let nc: NatsConnection | undefined;
  let closed = false;
  const connecting = connectNats({
    servers: opts.servers,
    name: 'splitplane-gateway',
    ...opts.security,
    ...(opts.log ? { log: opts.log } : {}),
  }).then((c) => {
    nc = c;
    if (closed) void c.close();
    return c;
  });
  connecting.catch((err: unknown) => opts.log?.warn({ err }, 'nats connection failed'));
  const waitMs = opts.connectWaitMs ?? 10_000;

  const connection = async (): Promise<NatsConnection> => {
    if (nc) return nc;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(newServiceUnavailable('the watch event stream (NATS) is not reachable')),
        waitMs,
      );
    });
    try {
      return await Promise.race([connecting, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    factory: async (group, resource) =>
      new ResourceFeed({
        nats: await connection(),
        group,
        resource,
        history: grpcEventHistory(opts.watchCache, group, resource),
        ...(opts.dropFraction ? { dropFraction: opts.dropFraction } : {}),
        ...(opts.log ? { log: opts.log.child({ feed: `${group || 'core'}/${resource}` }) } : {}),
      }),
    async close() {
      closed = true;
      if (nc && !nc.isClosed()) await nc.close();
    },
  };
}
