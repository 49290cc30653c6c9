// The one call authz's main makes for the default policy: reconcile kube's bootstrap RBAC
// objects (retrying until the registry and watch-cache answer), then keep aggregated
// ClusterRoles filled from an informer on clusterroles. Resolves once the bootstrap pass is
// done and the aggregation controller runs, so authz reports SERVING only after that.
import type { ChannelCredentials } from '@grpc/grpc-js';
import { dial, type Logger, type NatsConnection } from '@splitplane/kit';
import { Informer } from '@splitplane/informer';
import { RegistryClient, type WatchCacheClient } from '@splitplane/proto';
import { ClusterRoleAggregationController } from '../aggregation/controller.js';
import { reconcileBootstrapPolicy, type BootstrapReport } from './bootstrap.js';
import { GrpcPolicyClient, type PolicyClient } from './policy-client.js';

export interface PolicyControllersOptions {
  /** --registry-address. */
  registryAddress: string;
  /** Client of --watch-cache-address (shared with the RBAC informers). */
  watchCache: WatchCacheClient;
  /** Connection from --nats-servers and the NATS security flags. */
  nats: NatsConnection;
  log: Logger;
  /** Channel credentials for the registry (internal mTLS); insecure when absent. */
  registryCredentials?: ChannelCredentials;
  /** An already-started informer over clusterroles to share; one is made otherwise. */
  clusterRoles?: Informer;
  /** Tests: replace the gRPC reads and writes. */
  client?: PolicyClient;
  retryMaxMs?: number;
  signal?: AbortSignal;
}

export interface RunningPolicyControllers {
  bootstrap: BootstrapReport;
  aggregation: ClusterRoleAggregationController;
  stop(): Promise<void>;
}

const CLUSTER_ROLES = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource: 'clusterroles',
  kind: 'ClusterRole',
  namespaced: false,
};

export async function startPolicyControllers(
  opts: PolicyControllersOptions,
): Promise<RunningPolicyControllers> {
  const registry = opts.client
    ? undefined
    : dial(RegistryClient, opts.registryAddress, opts.registryCredentials);
  const client = opts.client ?? new GrpcPolicyClient(registry!, opts.watchCache);
  const log = opts.log;
  let informer: Informer | undefined;
  try {
    const bootstrap = await reconcileBootstrapPolicy(client, log, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.retryMaxMs ? { retryMaxMs: opts.retryMaxMs } : {}),
    });
    log.info({ objects: bootstrap.operations.size }, 'bootstrap RBAC policy reconciled');
    const roles =
      opts.clusterRoles ??
      (informer = new Informer({
        watchCache: opts.watchCache,
        nats: opts.nats,
        def: CLUSTER_ROLES,
        log,
      }));
    await roles.start();
    const aggregation = new ClusterRoleAggregationController(roles, client, log);
    aggregation.start();
    return {
      bootstrap,
      aggregation,
      async stop() {
        await aggregation.stop();
        informer?.stop();
        registry?.close();
      },
    };
  } catch (err) {
    informer?.stop();
    registry?.close();
    throw err;
  }
}
