// The gRPC clients the gateway talks to. Targets accept grpc-js names (dns:///registry:7000
// resolves every replica; kit's channel options spread calls with round_robin).
import { type ChannelCredentials, credentials as grpcCredentials } from '@grpc/grpc-js';
import {
  GRPC_CHANNEL_OPTIONS,
  type GrpcCredentials,
  channelCredentials,
  dial,
} from '@splitplane/kit';
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

// LIST responses run to tens of MiB: a 16 MiB HTTP/2 receive window (default 64 KiB) lets
// the watch-cache send one without waiting for a WINDOW_UPDATE every 64 KiB.
const WATCH_CACHE_CHANNEL_OPTIONS = {
  ...GRPC_CHANNEL_OPTIONS,
  'grpc-node.flow_control_window': 16 * 2 ** 20,
};

/** `credentials`: the gateway's own (CN=gateway) for mutual TLS; plaintext without. */
export function dialBackends(
  targets: BackendTargets,
  credentials?: ChannelCredentials | GrpcCredentials,
): Backends {
  const registry = dial(RegistryClient, targets.registry, credentials);
  const watchCache = new ViewingWatchCacheClient(
    targets.watchCache,
    credentials ? channelCredentials(credentials) : grpcCredentials.createInsecure(),
    WATCH_CACHE_CHANNEL_OPTIONS,
  );
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
