#!/usr/bin/env node
// admission: runs the admission chain for the registry's writes.
import {
  GRPC_TLS_FLAGS,
  grpcCredentialsFromFlags,
  runService,
  startGrpcServer,
} from '@splitplane/kit';
import { chainFor } from './chain/index.js';
import { admissionService } from './server.js';

await runService({
  name: 'admission',
  flags: {
    'listen-address': {
      type: 'string',
      default: '127.0.0.1:7004',
      help: 'gRPC listen address (host:port)',
    },
    'enable-admission-plugins': { type: 'list', default: [], help: 'Admission plugins to enable' },
    'disable-admission-plugins': {
      type: 'list',
      default: [],
      help: 'Admission plugins to disable',
    },
    ...GRPC_TLS_FLAGS,
  },
  async start(flags, log) {
    const chain = chainFor(flags['enable-admission-plugins'], flags['disable-admission-plugins']);
    const server = await startGrpcServer(
      flags['listen-address'],
      [admissionService(chain)],
      await grpcCredentialsFromFlags(flags, log),
    );
    log.info(
      { port: server.port, plugins: chain.plugins.map((p) => p.name) },
      'serving splitplane.v1.Admission',
    );
    return { stop: () => server.stop() };
  },
});
