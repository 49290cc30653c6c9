#!/usr/bin/env node
// authz: answers authorization questions for every gateway replica.
import {
  GRPC_TLS_FLAGS,
  grpcCredentialsFromFlags,
  runService,
  startGrpcServer,
} from '@splitplane/kit';
import { authorizerForModes } from './authorizer/index.js';
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
    ...GRPC_TLS_FLAGS,
  },
  async start(flags, log) {
    // Serves with it, and dials the watch-cache and registry with it (mutual TLS).
    const grpcCredentials = await grpcCredentialsFromFlags(flags, log);
    const authorizer = authorizerForModes(flags['authorization-mode']);
    const server = await startGrpcServer(
      flags['listen-address'],
      [authorizerService(authorizer)],
      grpcCredentials,
    );
    log.info(
      { port: server.port, modes: flags['authorization-mode'] },
      'serving splitplane.v1.Authorizer',
    );
    return { stop: () => server.stop() };
  },
});
