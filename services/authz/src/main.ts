#!/usr/bin/env node
// authz: answers authorization questions for every gateway replica.
import {
  connectNats,
  dial,
  GRPC_TLS_FLAGS,
  grpcCredentialsFromFlags,
  NATS_CLIENT_FLAGS,
  natsSecurityFromFlags,
  runService,
  startGrpcServer,
} from '@splitplane/kit';
import { WatchCacheClient } from '@splitplane/proto';
import { authorizerForModes } from './authorizer/index.js';
import { startPolicyControllers } from './bootstrap/index.js';
import { authorizerService } from './server.js';

await runService({
  name: 'authz',
  flags: {
    'listen-address': {
      type: 'string',
      default: '127.0.0.1:7003',
      help: 'gRPC listen address (host:port)',
    },
    'authorization-mode': {
      type: 'list',
      default: ['AlwaysAllow'],
      help: 'Ordered list of authorization modes (AlwaysAllow, AlwaysDeny)',
    },
    'registry-address': {
      type: 'string',
      default: '',
      help: 'gRPC target of the registry, through which the bootstrap RBAC policy and aggregated ClusterRoles are written (empty: neither runs)',
    },
    'watch-cache-address': {
      type: 'string',
      default: '',
      help: 'gRPC target of the watch-cache (RBAC informers and bootstrap reads)',
    },
    'nats-servers': {
      type: 'list',
      default: [],
      help: 'NATS URLs the RBAC informers follow events on',
    },
    ...NATS_CLIENT_FLAGS,
    ...GRPC_TLS_FLAGS,
  },
  async start(flags, log) {
    // Serves with it, and dials the watch-cache and registry with it (mutual TLS).
    const grpcCredentials = await grpcCredentialsFromFlags(flags, log);
    const authorizer = authorizerForModes(flags['authorization-mode']);
    // kube's rbac/bootstrap-roles post-start hook and clusterrole aggregation: done before
    // the server starts, so authz is not SERVING until the default policy is in place.
    if (
      flags['registry-address'] &&
      !(flags['watch-cache-address'] && flags['nats-servers'].length)
    ) {
      throw new Error('--registry-address needs --watch-cache-address and --nats-servers');
    }
    const watchCache = flags['watch-cache-address']
      ? dial(WatchCacheClient, flags['watch-cache-address'], grpcCredentials.client)
      : undefined;
    const nats = flags['nats-servers'].length
      ? await connectNats({
          servers: flags['nats-servers'],
          name: 'authz',
          log,
          ...(await natsSecurityFromFlags(flags)),
        })
      : undefined;
    const policy =
      flags['registry-address'] && watchCache && nats
        ? await startPolicyControllers({
            registryAddress: flags['registry-address'],
            registryCredentials: grpcCredentials.client,
            watchCache,
            nats,
            log,
          })
        : undefined;
    const server = await startGrpcServer(
      flags['listen-address'],
      [authorizerService(authorizer)],
      grpcCredentials,
    );
    log.info(
      { port: server.port, modes: flags['authorization-mode'] },
      'serving splitplane.v1.Authorizer',
    );
    return {
      async stop() {
        await server.stop();
        await policy?.stop();
        watchCache?.close();
        await nats?.close();
      },
    };
  },
});
