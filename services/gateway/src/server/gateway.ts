// Starts the gateway in-process: dials the backends, loads the protobuf codec, builds the
// app and serves it on node:https with client-certificate authentication.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RequestHandler, Router } from 'express';
import { BUILTIN_RESOURCES, Scheme } from '@splitplane/scheme';
import { type GrpcCredentials, HealthChecker, type Logger } from '@splitplane/kit';
import { type Backends, dialBackends } from '../backends/backends.js';
import { loadProtobufCodec } from '../negotiation/protobuf.js';
import { AuthorizationCache } from '../filters/authorization-cache.js';
import {
  type RbacInvalidation,
  invalidateOnRbacChanges,
} from '../filters/authorization-cache-invalidation.js';
import { createApp } from './app.js';
import { type AuthenticationOptions, buildAuthentication } from '../authn/index.js';
import { TOKEN_REVIEW_DEFINITION } from '../handlers/token-review.js';
import { SELF_SUBJECT_REVIEW_DEFINITION } from '../handlers/self-subject-review.js';
import { ACCESS_REVIEW_DEFINITIONS } from '../handlers/access-review.js';
import {
  type HealthCheck,
  etcdCheck,
  grpcCheck,
  pingCheck,
  shutdownCheck,
} from '../health/checks.js';
import { defaultRoutes } from './routes.js';
import { FeedHub, type FeedFactory } from '../watch/feed-hub.js';
import { natsFeeds, type NatsSecurity } from '../watch/nats-feeds.js';

export interface GatewayOptions {
  bindAddress: string;
  securePort: number;
  tlsCertFile: string;
  tlsPrivateKeyFile: string;
  clientCaFile: string;
  /** Authenticators besides x509 (front proxy, tokens, OIDC, anonymous); see authn/. */
  authentication?: Omit<AuthenticationOptions, 'clientCaFile'>;
  registryAddress: string;
  watchCacheAddress: string;
  authzAddress: string;
  admissionAddress?: string;
  /** Mutual TLS to every backend, health checks included (GRPC_TLS_FLAGS); plaintext without. */
  grpcCredentials?: GrpcCredentials;
  etcdServers?: string[];
  maxRequestsInflight: number;
  maxMutatingRequestsInflight: number;
  requestTimeoutMs: number;
  minRequestTimeoutSeconds: number;
  corsAllowedOrigins: string[];
  goawayChance: number;
  maxRequestBodyBytes: number;
  /** --authorization-cache (default true): false asks authz about every request. */
  authorizationCacheEnabled?: boolean;
  /** --authorization-cache-authorized-ttl in ms (default 5s); 0 does not cache allows. */
  authorizationCacheAuthorizedTtlMs?: number;
  /** --authorization-cache-unauthorized-ttl in ms (default 5s); 0 does not cache denials. */
  authorizationCacheUnauthorizedTtlMs?: number;
  /** --nats-servers: watches are served from the resources' NATS feeds. */
  natsServers?: string[];
  /** TLS and credentials for NATS (NATS_CLIENT_FLAGS). */
  natsSecurity?: NatsSecurity;
  /** --watch-bookmark-interval in seconds (default 60). */
  watchBookmarkIntervalSeconds?: number;
  /** --testing-nats-drop-fraction (default 0). */
  testingNatsDropFraction?: number;
  /** Serves watches from these feeds instead of NATS ones (tests). */
  feedFactory?: FeedFactory;
  /** Bytes a watcher may have queued before it is ended as too slow. */
  watchMaxQueueBytes?: number;
  log?: Logger;
  scheme?: Scheme;
  /** Replaces the default /version, discovery and OpenAPI routes (tests). */
  routes?: Array<RequestHandler | Router>;
}

export const DEFAULT_AUTHORIZATION_CACHE_TTL_MS = 5_000;

export interface RunningGateway {
  server: Server;
  port: number;
  scheme: Scheme;
  backends: Backends;
  /** The resource feeds watches are served from (absent without NATS or a feedFactory). */
  watchHub?: FeedHub;
  stop(): Promise<void>;
}

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const [cert, key] = await Promise.all([
    readFile(opts.tlsCertFile),
    readFile(opts.tlsPrivateKeyFile),
  ]);
  await loadProtobufCodec();
  const scheme = opts.scheme ?? new Scheme(BUILTIN_RESOURCES);
  // Create-only kinds the gateway answers itself: in this gateway's scheme only, so discovery
  // and OpenAPI list them (kubectl create -f needs that); no other service stores them.
  for (const def of [
    TOKEN_REVIEW_DEFINITION,
    SELF_SUBJECT_REVIEW_DEFINITION,
    ...ACCESS_REVIEW_DEFINITIONS,
  ]) {
    if (!scheme.resource(def.group, def.version, def.plural)) scheme.add(def);
  }
  const backends = dialBackends(
    {
      registry: opts.registryAddress,
      watchCache: opts.watchCacheAddress,
      authz: opts.authzAddress,
    },
    opts.grpcCredentials,
  );
  const authentication = await buildAuthentication(
    { ...opts.authentication, ...(opts.clientCaFile ? { clientCaFile: opts.clientCaFile } : {}) },
    backends.watchCache,
  );
  // The TLS layer verifies client certificates against every CA an authenticator trusts
  // (x509 and front proxy); authn/ tells which one a chain ends in.
  const ca = authentication.tlsClientCa.length ? authentication.tlsClientCa : undefined;

  // Watches: one feed per watched resource, over NATS (started in the background: readiness
  // does not wait for NATS) unless a test brings its own feeds.
  const feeds = opts.feedFactory
    ? undefined
    : opts.natsServers?.length
      ? natsFeeds({
          servers: opts.natsServers,
          ...(opts.natsSecurity ? { security: opts.natsSecurity } : {}),
          watchCache: backends.watchCache,
          ...(opts.testingNatsDropFraction ? { dropFraction: opts.testingNatsDropFraction } : {}),
          ...(opts.log ? { log: opts.log } : {}),
        })
      : undefined;
  const factory = opts.feedFactory ?? feeds?.factory;
  const watchHub = factory ? new FeedHub(factory) : undefined;

  const cacheOn = opts.authorizationCacheEnabled ?? true;
  const authorizationCache = new AuthorizationCache({
    authorizedTtlMs: cacheOn
      ? (opts.authorizationCacheAuthorizedTtlMs ?? DEFAULT_AUTHORIZATION_CACHE_TTL_MS)
      : 0,
    unauthorizedTtlMs: cacheOn
      ? (opts.authorizationCacheUnauthorizedTtlMs ?? DEFAULT_AUTHORIZATION_CACHE_TTL_MS)
      : 0,
  });
  // Cached decisions are emptied on every RBAC change, seen through the NATS feeds.
  let rbacInvalidation: RbacInvalidation | undefined;
  if (authorizationCache.enabled && feeds) {
    rbacInvalidation = invalidateOnRbacChanges({
      cache: authorizationCache,
      watchCache: backends.watchCache,
      feedFor: (group, resource) => feeds.factory(group, resource),
      ...(opts.log ? { log: opts.log } : {}),
    });
  }

  let shuttingDown = false;
  const checkers: HealthChecker[] = [];
  const grpc = (name: string, target: string): HealthCheck => {
    const checker = new HealthChecker(target, opts.grpcCredentials);
    checkers.push(checker);
    return grpcCheck(name, checker);
  };
  const downstream: HealthCheck[] = [
    grpc('registry', opts.registryAddress),
    grpc('watch-cache', opts.watchCacheAddress),
    grpc('authz', opts.authzAddress),
  ];
  if (opts.admissionAddress) downstream.push(grpc('admission', opts.admissionAddress));
  if (opts.etcdServers?.length) downstream.unshift(etcdCheck(opts.etcdServers));

  const app = createApp({
    handlers: {
      scheme,
      registry: backends.registry,
      watchCache: backends.watchCache,
      maxRequestBodyBytes: opts.maxRequestBodyBytes,
      minRequestTimeoutSeconds: opts.minRequestTimeoutSeconds,
      ...(watchHub ? { watchHub } : {}),
      watchBookmarkIntervalMs: (opts.watchBookmarkIntervalSeconds ?? 60) * 1000,
      ...(opts.watchMaxQueueBytes ? { watchMaxQueueBytes: opts.watchMaxQueueBytes } : {}),
    },
    authz: backends.authz,
    authentication,
    authorizationCache,
    health: {
      livez: [pingCheck],
      readyz: [pingCheck, ...downstream, shutdownCheck(() => shuttingDown)],
      healthz: [pingCheck, ...downstream],
    },
    maxReadonlyInFlight: opts.maxRequestsInflight,
    maxMutatingInFlight: opts.maxMutatingRequestsInflight,
    requestTimeoutMs: opts.requestTimeoutMs,
    corsAllowedOrigins: opts.corsAllowedOrigins,
    goawayChance: opts.goawayChance,
    routes: opts.routes ?? (await defaultRoutes(scheme)),
  });

  const server = createServer(
    {
      cert,
      key,
      ca,
      // Verify client certificates against --client-ca-file but let requests without one
      // through, so authentication can answer with kube's 401 Status.
      requestCert: true,
      rejectUnauthorized: false,
      // Watches are long-lived; the timeout filter bounds everything else.
      requestTimeout: 0,
    },
    app,
  );
  // Go's TLS server never renegotiates; neither do we, so a connection's client certificate
  // (and the identity authentication caches per connection) is fixed once the handshake ends.
  server.on('secureConnection', (socket) => socket.disableRenegotiation());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.securePort, opts.bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    server,
    port,
    scheme,
    backends,
    ...(watchHub ? { watchHub } : {}),
    async stop() {
      shuttingDown = true;
      rbacInvalidation?.stop();
      watchHub?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const c of checkers) c.close();
      await feeds?.close();
      backends.close();
    },
  };
}
