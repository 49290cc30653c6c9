#!/usr/bin/env node
// admission: runs the admission chain for the registry's writes.
import {
  connectNats,
  dial,
  GRPC_TLS_FLAGS,
  grpcCredentialsFromFlags,
  NATS_CLIENT_FLAGS,
  natsSecurityFromFlags,
  runService,
  startGrpcServer,
  type NatsConnection,
} from '@splitplane/kit';
import { AuthorizerClient, RegistryClient, WatchCacheClient } from '@splitplane/proto';
import { chainFor, type InformerHub } from './chain/index.js';
import { UnavailableHub, WatchCacheHub } from './hub/index.js';
import { admissionService } from './server.js';
import { readAdmissionConfiguration } from './sources/admission-config.js';

const SERVICE_NAME = 'splitplane.v1.Admission';

await runService({
  name: 'admission',
  flags: {
    'listen-address': {
      type: 'string',
      default: '127.0.0.1:7004',
      help: 'gRPC listen address (host:port)',
    },
    'enable-admission-plugins': {
      type: 'list',
      default: [],
      help: 'admission plugins that should be enabled in addition to default enabled ones',
    },
    'disable-admission-plugins': {
      type: 'list',
      default: [],
      help: 'admission plugins that should be disabled although they are in the default enabled plugins list',
    },
    'admission-control-config-file': {
      type: 'string',
      default: '',
      help: 'File with admission control configuration (AdmissionConfiguration)',
    },
    'watch-cache-address': {
      type: 'string',
      default: '',
      help: 'gRPC target of the watch-cache, which the admission informers list from',
    },
    'nats-servers': {
      type: 'list',
      default: [],
      help: 'NATS URLs the admission informers follow events on',
    },
    ...NATS_CLIENT_FLAGS,
    'registry-address': {
      type: 'string',
      default: '',
      help: 'gRPC target of the registry, for plugins that write (ResourceQuota status)',
    },
    'authz-address': {
      type: 'string',
      default: '',
      help: 'gRPC target of authz, for the CEL authorizer library of admission policies',
    },
    ...GRPC_TLS_FLAGS,
  },
  async start(flags, log) {
    // Serves with it, and dials the watch-cache, registry and authz with it (mutual TLS).
    const grpcCredentials = await grpcCredentialsFromFlags(flags, log);
    const pluginConfigs = await readAdmissionConfiguration(flags['admission-control-config-file']);
    let nats: NatsConnection | undefined;
    let watchCache: WatchCacheClient | undefined;
    let hub: InformerHub = new UnavailableHub();
    let watchCacheHub: WatchCacheHub | undefined;
    if (flags['watch-cache-address'] && flags['nats-servers'].length > 0) {
      nats = await connectNats({
        servers: flags['nats-servers'],
        name: 'admission',
        log,
        ...(await natsSecurityFromFlags(flags)),
      });
      watchCache = dial(WatchCacheClient, flags['watch-cache-address'], grpcCredentials);
      hub = watchCacheHub = new WatchCacheHub({ watchCache, nats, log });
    }
    const registry = flags['registry-address']
      ? dial(RegistryClient, flags['registry-address'], grpcCredentials)
      : undefined;
    const authz = flags['authz-address']
      ? dial(AuthorizerClient, flags['authz-address'], grpcCredentials)
      : undefined;
    const stopClients = async () => {
      watchCacheHub?.stop();
      watchCache?.close();
      registry?.close();
      authz?.close();
      await nats?.drain().catch(() => undefined);
    };
    let server: Awaited<ReturnType<typeof startGrpcServer>> | undefined;
    try {
      // Plugin factories ask the hub for the informers they need; those start here.
      const chain = chainFor(
        flags['enable-admission-plugins'],
        flags['disable-admission-plugins'],
        {
          hub,
          registry,
          authz,
          log,
          pluginConfig: (name) => pluginConfigs.get(name),
        },
      );
      const synced = watchCacheHub?.waitForSync() ?? Promise.resolve();
      server = await startGrpcServer(
        flags['listen-address'],
        [admissionService(chain, { ready: synced })],
        grpcCredentials,
      );
      // Not serving until the informers the chain uses have synced: a webhook plugin with an
      // empty configuration view would admit what it should refuse.
      for (const name of ['', SERVICE_NAME]) server.health.setStatus(name, 'NOT_SERVING');
      log.info(
        { port: server.port, plugins: chain.plugins.map((p) => p.name) },
        `listening for ${SERVICE_NAME}; syncing informers`,
      );
      await synced;
      for (const name of ['', SERVICE_NAME]) server.health.setStatus(name, 'SERVING');
      log.info(`serving ${SERVICE_NAME}`);
    } catch (err) {
      await server?.stop();
      await stopClients();
      throw err;
    }
    const running = server;
    return {
      stop: async () => {
        await running.stop();
        await stopClients();
      },
    };
  },
});
