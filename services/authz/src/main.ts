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
  type NatsConnection,
} from '@splitplane/kit';
import { WatchCacheClient } from '@splitplane/proto';
import { authorizerChain } from './authorizer/index.js';
import { startPolicyControllers, type RunningPolicyControllers } from './bootstrap/index.js';
import { RbacInformers } from './rbac/index.js';
import { authorizerService } from './server.js';

const SERVICE_NAME = 'splitplane.v1.Authorizer';

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
      help: 'Ordered list of authorization modes (RBAC, Webhook, AlwaysAllow, AlwaysDeny)',
    },
    'watch-cache-address': {
      type: 'string',
      default: '',
      help: 'gRPC target of the watch-cache, which the RBAC informers list from (needed by RBAC)',
    },
    'nats-servers': {
      type: 'list',
      default: [],
      help: 'NATS URLs the RBAC informers follow events on (needed by RBAC)',
    },
    ...NATS_CLIENT_FLAGS,
    'registry-address': {
      type: 'string',
      default: '',
      help: 'gRPC target of the registry, through which the bootstrap RBAC policy and aggregated ClusterRoles are written (empty: neither runs)',
    },
    'authorization-webhook-config-file': {
      type: 'string',
      default: '',
      help: "kubeconfig of the Webhook mode's SubjectAccessReview service",
    },
    'authorization-webhook-version': {
      type: 'string',
      default: 'v1',
      help: 'authorization.k8s.io version of the SubjectAccessReviews sent (v1 or v1beta1)',
    },
    'authorization-webhook-cache-authorized-ttl': {
      type: 'string',
      default: '5m0s',
      help: 'how long the Webhook mode caches an allow',
    },
    'authorization-webhook-cache-unauthorized-ttl': {
      type: 'string',
      default: '30s',
      help: 'how long the Webhook mode caches a deny',
    },
    ...GRPC_TLS_FLAGS,
  },
  async start(flags, log) {
    // Serves with it, and dials the watch-cache and registry with it (mutual TLS).
    const grpcCredentials = await grpcCredentialsFromFlags(flags, log);
    const modes = flags['authorization-mode'];
    const watchCacheAddress = flags['watch-cache-address'];
    let nats: NatsConnection | undefined;
    let watchCache: WatchCacheClient | undefined;
    let informers: RbacInformers | undefined;
    // The RBAC objects feed the RBAC mode, escalation checks and the policy controllers.
    if (watchCacheAddress && flags['nats-servers'].length > 0) {
      nats = await connectNats({
        servers: flags['nats-servers'],
        name: 'authz',
        log,
        ...(await natsSecurityFromFlags(flags)),
      });
      watchCache = dial(WatchCacheClient, watchCacheAddress, grpcCredentials);
      informers = new RbacInformers({ watchCache, nats, log });
    }
    const chain = authorizerChain(modes, {
      ...(informers ? { rbac: informers.view } : {}),
      webhook: {
        configFile: flags['authorization-webhook-config-file'],
        version: flags['authorization-webhook-version'],
        cacheAuthorizedTtl: flags['authorization-webhook-cache-authorized-ttl'],
        cacheUnauthorizedTtl: flags['authorization-webhook-cache-unauthorized-ttl'],
      },
    });
    const server = await startGrpcServer(
      flags['listen-address'],
      [
        authorizerService(chain.authorizer, {
          rules: chain.rules,
          ...(informers ? { rbac: informers.view } : {}),
        }),
      ],
      grpcCredentials,
    );
    // Not serving until the RBAC view is complete and the bootstrap policy written: an
    // empty view would answer NoOpinion to everyone.
    for (const name of ['', SERVICE_NAME]) server.health.setStatus(name, 'NOT_SERVING');
    log.info({ port: server.port, modes }, `listening for ${SERVICE_NAME}; syncing RBAC`);
    let policy: RunningPolicyControllers | undefined;
    const stopAll = async () => {
      await server.stop();
      await policy?.stop();
      informers?.stop();
      watchCache?.close();
      await nats?.drain().catch(() => undefined);
    };
    try {
      await informers?.start();
      if (informers && watchCache && nats && flags['registry-address']) {
        policy = await startPolicyControllers({
          registryAddress: flags['registry-address'],
          watchCache,
          nats,
          log,
          registryCredentials: grpcCredentials.client,
          clusterRoles: informers.clusterRoles,
        });
      }
    } catch (err) {
      await stopAll();
      throw err;
    }
    for (const name of ['', SERVICE_NAME]) server.health.setStatus(name, 'SERVING');
    log.info({ modes }, `serving ${SERVICE_NAME}`);
    return { stop: stopAll };
  },
});
