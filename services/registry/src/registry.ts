// Wires a running registry: etcd storage, the generic store, system namespaces, the
// namespace controller and the gRPC server. main.ts parses flags into this; tests call it.
import { hostname } from 'node:os';
import type { ServerCredentials } from '@grpc/grpc-js';
import { type GrpcServerHandle, type Logger, startGrpcServer } from '@splitplane/kit';
import { BUILTIN_RESOURCES, Scheme } from '@splitplane/scheme';
import { EtcdStorage, createEtcdClient } from '@splitplane/storage';
import type { Admission } from './admission/admission.js';
import { NamespaceController } from './namespace-controller/namespace-controller.js';
import { ensureSystemNamespaces } from './namespace-controller/system-namespaces.js';
import { registryService } from './server.js';
import { strategyFor } from './strategies/index.js';
import { Store } from './store/store.js';

export interface RegistryOptions {
  etcdServers: string[];
  listenAddress: string;
  admission?: Admission;
  etcdMaxRequestBytes?: number;
  identity?: string;
  namespaceSyncIntervalMs?: number;
  credentials?: ServerCredentials;
  scheme?: Scheme;
}

export interface RunningRegistry {
  port: number;
  store: Store;
  server: GrpcServerHandle;
  namespaceController: NamespaceController;
  stop(): Promise<void>;
}

export async function startRegistry(opts: RegistryOptions, log: Logger): Promise<RunningRegistry> {
  const client = createEtcdClient({ servers: opts.etcdServers });
  const storage = new EtcdStorage(client, opts.etcdMaxRequestBytes ? { maxRequestBytes: opts.etcdMaxRequestBytes } : {});
  try {
    await storage.currentRevision({ deadline: new Date(Date.now() + 10_000) });
  } catch (err) {
    client.close();
    throw new Error(`cannot reach etcd at ${opts.etcdServers.join(',')}: ${(err as Error).message}`, { cause: err });
  }
  const scheme = opts.scheme ?? new Scheme(BUILTIN_RESOURCES);
  const store = new Store({ storage, scheme, strategyFor, ...(opts.admission ? { admission: opts.admission } : {}) });
  // Bootstrap bypasses admission, as kube's bootstrap controllers write through REST storage.
  await ensureSystemNamespaces(new Store({ storage, scheme, strategyFor }));
  const namespaceController = new NamespaceController(store, log, {
    identity: opts.identity ?? `${hostname()}_${process.pid}`,
    ...(opts.namespaceSyncIntervalMs ? { intervalMs: opts.namespaceSyncIntervalMs } : {}),
  });
  namespaceController.start();
  const server = await startGrpcServer(opts.listenAddress, [registryService(store)], opts.credentials);
  log.info({ port: server.port }, 'serving splitplane.v1.Registry');
  return {
    port: server.port,
    store,
    server,
    namespaceController,
    async stop() {
      await server.stop();
      await namespaceController.stop();
      storage.close();
    },
  };
}
