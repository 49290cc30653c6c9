#!/usr/bin/env node
// watch-cache: serves every read (GET, LIST, WATCH) for the gateways.
import { runService, startGrpcServer } from '@splitplane/kit';
import { BUILTIN_RESOURCES, Scheme } from '@splitplane/scheme';
import { createEtcdClient, EtcdStorage } from '@splitplane/storage';
import { watchCacheService } from './server.js';

await runService({
  name: 'watch-cache',
  flags: {
    'listen-address': {
      type: 'string',
      default: '127.0.0.1:7002',
      help: 'gRPC listen address (host:port)',
    },
    'etcd-servers': { type: 'list', default: ['http://127.0.0.1:2379'], help: 'etcd client URLs' },
  },
  async start(flags, log) {
    const client = createEtcdClient({ servers: flags['etcd-servers'] });
    const storage = new EtcdStorage(client);
    await storage.currentRevision({ deadline: new Date(Date.now() + 10_000) });
    const server = await startGrpcServer(flags['listen-address'], [
      watchCacheService(new Scheme(BUILTIN_RESOURCES), storage),
    ]);
    log.info({ port: server.port }, 'serving splitplane.v1.WatchCache');
    return {
      stop: async () => {
        await server.stop();
        client.close();
      },
    };
  },
});
