#!/usr/bin/env node
// watch-cache: one etcd watch of /registry/ per replica, serving reads from memory, event
// history (Events) from its windows, and publishing every event on NATS (DESIGN §4).
import {
  connectNats,
  GRPC_TLS_FLAGS,
  grpcCredentialsFromFlags,
  NATS_CLIENT_FLAGS,
  natsSecurityFromFlags,
  runService,
  startGrpcServer,
  type NatsConnection,
} from '@splitplane/kit';
import { BUILTIN_RESOURCES, Scheme } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { WatchCache } from './cache/index.js';
import { EventPublisher } from './publish/index.js';
import { watchCacheService } from './server.js';
import { DEFAULT_MAX_EVENTS } from './window/index.js';

const SERVICE_NAME = 'splitplane.v1.WatchCache';

await runService({
  name: 'watch-cache',
  flags: {
    'listen-address': {
      type: 'string',
      default: '127.0.0.1:7002',
      help: 'gRPC listen address (host:port)',
    },
    'etcd-servers': { type: 'list', default: ['http://127.0.0.1:2379'], help: 'etcd client URLs' },
    'nats-servers': {
      type: 'list',
      default: [],
      help: 'NATS URLs to publish watch events to (empty: no publishing, for unit use only)',
    },
    ...NATS_CLIENT_FLAGS,
    ...GRPC_TLS_FLAGS,
    'watch-cache': {
      type: 'boolean',
      default: true,
      help: 'serve reads from memory; false reads etcd directly and publishes nothing',
    },
    'event-window-seconds': {
      type: 'number',
      default: 75,
      help: 'how long each resource keeps its event history',
    },
    'event-window-max-events': {
      type: 'number',
      default: DEFAULT_MAX_EVENTS,
      help: 'most events kept per resource',
    },
  },
  async start(flags, log) {
    const grpcCredentials = await grpcCredentialsFromFlags(flags, log);
    const client = createEtcdClient({ servers: flags['etcd-servers'] });
    const storage = new EtcdStorage(client);
    const scheme = new Scheme(BUILTIN_RESOURCES);
    if (!flags['watch-cache']) {
      await storage.currentRevision({ deadline: new Date(Date.now() + 10_000) });
      const server = await startGrpcServer(
        flags['listen-address'],
        [watchCacheService(scheme, storage)],
        grpcCredentials,
      );
      log.info({ port: server.port }, `serving ${SERVICE_NAME} from etcd (--watch-cache=false)`);
      return {
        stop: async () => {
          await server.stop();
          client.close();
        },
      };
    }

    const cache = new WatchCache({
      storage,
      scheme,
      log,
      windowLimits: {
        maxAgeMs: flags['event-window-seconds'] * 1000,
        maxEvents: flags['event-window-max-events'],
      },
    });
    let nats: NatsConnection | undefined;
    let publisher: EventPublisher | undefined;
    if (flags['nats-servers'].length > 0) {
      nats = await connectNats({
        servers: flags['nats-servers'],
        name: 'watch-cache',
        log,
        ...(await natsSecurityFromFlags(flags)),
      });
      // Subscribed before the first event is applied: the first message carries its prevRv.
      publisher = new EventPublisher({ cache, nats, log });
    }
    const server = await startGrpcServer(
      flags['listen-address'],
      [watchCacheService(scheme, storage, cache)],
      grpcCredentials,
    );
    // Not serving until the cache has listed and watches etcd.
    for (const name of ['', SERVICE_NAME]) server.health.setStatus(name, 'NOT_SERVING');
    log.info({ port: server.port }, `listening for ${SERVICE_NAME}; loading the cache`);
    await cache.start();
    for (const name of ['', SERVICE_NAME]) server.health.setStatus(name, 'SERVING');
    log.info({ revision: cache.rv.toString() }, `serving ${SERVICE_NAME}`);
    return {
      stop: async () => {
        await server.stop();
        publisher?.stop();
        await cache.stop();
        await nats?.drain().catch(() => undefined);
        client.close();
      },
    };
  },
});
