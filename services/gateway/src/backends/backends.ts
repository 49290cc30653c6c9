// The gRPC clients the gateway talks to. Targets accept grpc-js names (dns:///registry:7000
// resolves every replica; kit's channel options spread calls with round_robin).
import type { ChannelCredentials } from '@grpc/grpc-js';
import { dial } from '@splitplane/kit';
import { AuthorizerClient, RegistryClient, type WatchCacheClient } from '@splitplane/proto';
import { ViewingWatchCacheClient } from './list-response-view.js';

export interface BackendTargets {
  registry: string;
  watchCache: string;
  authz: string;
}

export interface Backends {
  registry: RegistryClient;
  watchCache: WatchCacheClient;
  authz: AuthorizerClient;
  close(): void;
}

export function dialBackends(targets: BackendTargets, credentials?: ChannelCredentials): Backends {
  const registry = dial(RegistryClient, targets.registry, credentials);
  const watchCache = dial(ViewingWatchCacheClient, targets.watchCache, credentials);
  const authz = dial(AuthorizerClient, targets.authz, credentials);
  return {
    registry,
    watchCache,
    authz,
    close() {
      registry.close();
      watchCache.close();
      authz.close();
    },
  };
}
