// Wires a running registry: etcd storage, the generic store, system namespaces, the
// namespace controller and the gRPC server. main.ts parses flags into this; tests call it.
import { hostname } from 'node:os';
import type { ServerCredentials } from '@grpc/grpc-js';
import { type GrpcServerHandle, type Logger, startGrpcServer } from '@splitplane/kit';
import { BUILTIN_RESOURCES, objectKey, type ResourceDefinition, Scheme } from '@splitplane/scheme';
import { EtcdStorage, createEtcdClient } from '@splitplane/storage';
import type { Admission } from './admission/admission.js';
import {
  DEFAULT_SERVICE_CLUSTER_IP_RANGE,
  DEFAULT_SERVICE_NODE_PORT_RANGE,
  PortRange,
  ServiceIPRange,
} from './allocators/ranges.js';
import { ServiceAllocator } from './allocators/service-allocation.js';
import { NamespaceController } from './namespace-controller/namespace-controller.js';
import { ensureSystemNamespaces } from './namespace-controller/system-namespaces.js';
import { ensureSystemPriorityClasses } from './priority-classes/system-priority-classes.js';
import { ResourceQuotaController } from './quota-controller/quota-controller.js';
import { composeHooks, quotaWriteHooks } from './quota-controller/quota-hooks.js';
import { registryService } from './server.js';
import {
  DEFAULT_KUBERNETES_SERVICE_PORT,
  ensureKubernetesService,
} from './service-controller/kubernetes-service.js';
import { ServiceController } from './service-controller/service-controller.js';
import {
  DefaultServiceAccountController,
  defaultServiceAccountHooks,
  ensureDefaultServiceAccounts,
} from './serviceaccount-controller/default-service-accounts.js';
import { StorageProtectionController } from './storage-protection-controller/storage-protection-controller.js';
import { strategyFor } from './strategies/index.js';
import { type EscalationChecker, escalationHooks, isRbacKind } from './rbac/escalation-hooks.js';
import { Store } from './store/store.js';
import {
  type ParamAuthorizer,
  paramReferenceChecks,
} from './strategies/admissionregistration/param-authorization.js';

export interface RegistryOptions {
  etcdServers: string[];
  listenAddress: string;
  admission?: Admission;
  etcdMaxRequestBytes?: number;
  identity?: string;
  namespaceSyncIntervalMs?: number;
  credentials?: ServerCredentials;
  scheme?: Scheme;
  /** --service-cluster-ip-range (IPv4 CIDR); default 10.96.0.0/12. */
  serviceClusterIPRange?: string;
  /** --service-node-port-range; default 30000-32767. */
  serviceNodePortRange?: string;
  /** --kubernetes-service-port: targetPort of the `kubernetes` Service; default 6443. */
  kubernetesServicePort?: number;
  /** How often the service controller checks the `kubernetes` Service (default 10 s). */
  serviceSyncIntervalMs?: number;
  /**
   * RBAC escalation prevention (authz ConfirmNoEscalation, from --authz-address) for writes
   * of roles and bindings; without it those writes are not checked.
   */
  escalationChecker?: EscalationChecker;
  /**
   * kube's authorization of a ValidatingAdmissionPolicy's paramKind and a binding's paramRef
   * (authz Authorize, from --authz-address); unchecked without it.
   */
  paramAuthorizer?: ParamAuthorizer;
  /** --resource-quota-sync-period: how often every quota is recounted (default 5 min). */
  resourceQuotaSyncPeriodMs?: number;
  /** How often the quota controller looks for quotas whose status lags their spec (default 10 s). */
  resourceQuotaCheckIntervalMs?: number;
}

export interface RunningRegistry {
  port: number;
  store: Store;
  server: GrpcServerHandle;
  namespaceController: NamespaceController;
  serviceAllocator: ServiceAllocator;
  serviceController: ServiceController;
  quotaController: ResourceQuotaController;
  stop(): Promise<void>;
}

export async function startRegistry(opts: RegistryOptions, log: Logger): Promise<RunningRegistry> {
  // Bad ranges fail startup with one clear line, before anything connects.
  const ipRange = new ServiceIPRange(
    opts.serviceClusterIPRange ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE,
  );
  const portRange = new PortRange(opts.serviceNodePortRange ?? DEFAULT_SERVICE_NODE_PORT_RANGE);
  const kubernetesServicePort = opts.kubernetesServicePort ?? DEFAULT_KUBERNETES_SERVICE_PORT;
  if (
    !Number.isInteger(kubernetesServicePort) ||
    kubernetesServicePort < 1 ||
    kubernetesServicePort > 65535
  ) {
    throw new Error(
      `--kubernetes-service-port=${kubernetesServicePort}: must be a port number between 1 and 65535`,
    );
  }
  const client = createEtcdClient({ servers: opts.etcdServers });
  const storage = new EtcdStorage(
    client,
    opts.etcdMaxRequestBytes ? { maxRequestBytes: opts.etcdMaxRequestBytes } : {},
  );
  try {
    await storage.currentRevision({ deadline: new Date(Date.now() + 10_000) });
  } catch (err) {
    client.close();
    throw new Error(
      `cannot reach etcd at ${opts.etcdServers.join(',')}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const scheme = opts.scheme ?? new Scheme(BUILTIN_RESOURCES);
  const serviceAllocator = new ServiceAllocator(storage, {
    serviceClusterIPRange: ipRange,
    serviceNodePortRange: portRange,
    log,
  });
  const serviceHooks = serviceAllocator.hooks();
  const rbacHooks = opts.escalationChecker ? escalationHooks(opts.escalationChecker) : undefined;
  const identity = opts.identity ?? `${hostname()}_${process.pid}`;
  const quotaController = new ResourceQuotaController(storage, scheme, log, {
    identity,
    ...(opts.resourceQuotaSyncPeriodMs ? { resyncPeriodMs: opts.resourceQuotaSyncPeriodMs } : {}),
    ...(opts.resourceQuotaCheckIntervalMs
      ? { checkIntervalMs: opts.resourceQuotaCheckIntervalMs }
      : {}),
  });
  // Bound once `bootstrap` exists below; namespaces are only created after that.
  const accounts: { store?: Store } = {};
  const serviceAccountHooks = defaultServiceAccountHooks(() => accounts.store!, log);
  const hooksFor = (def: ResourceDefinition) =>
    composeHooks(
      def.group === '' && def.kind === 'Service'
        ? serviceHooks
        : isRbacKind(def)
          ? rbacHooks
          : def.group === '' && def.kind === 'Namespace'
            ? serviceAccountHooks
            : undefined,
      quotaWriteHooks(quotaController, def),
    );
  const store = new Store({
    storage,
    scheme,
    strategyFor,
    hooksFor,
    ...(opts.admission ? { admission: opts.admission } : {}),
    ...(opts.paramAuthorizer
      ? {
          referenceChecks: paramReferenceChecks({
            authorize: opts.paramAuthorizer,
            scheme,
            getPolicy: async (name, deadline) => {
              const def = scheme.resource(
                'admissionregistration.k8s.io',
                'v1',
                'validatingadmissionpolicies',
              );
              if (!def || !name) return undefined;
              const got = await storage.get(objectKey(def, '', name), deadline ? { deadline } : {});
              return got?.obj;
            },
          }),
        }
      : {}),
  });
  // Bootstrap bypasses admission, as kube's bootstrap controllers write through REST storage.
  const bootstrap = new Store({ storage, scheme, strategyFor, hooksFor });
  accounts.store = bootstrap;
  await ensureSystemNamespaces(bootstrap);
  await ensureDefaultServiceAccounts(bootstrap, log);
  await ensureSystemPriorityClasses(bootstrap);
  const kubernetesService = { clusterIP: ipRange.firstIP, targetPort: kubernetesServicePort };
  try {
    await ensureKubernetesService(bootstrap, kubernetesService, log);
  } catch (err) {
    // Not fatal: the service controller keeps trying, as kube's does.
    log.error({ err }, 'cannot create the kubernetes service');
  }
  const serviceController = new ServiceController(bootstrap, serviceAllocator, log, {
    identity,
    kubernetesService,
    ...(opts.serviceSyncIntervalMs ? { intervalMs: opts.serviceSyncIntervalMs } : {}),
  });
  serviceController.start();
  const namespaceController = new NamespaceController(store, log, {
    identity,
    ...(opts.namespaceSyncIntervalMs ? { intervalMs: opts.namespaceSyncIntervalMs } : {}),
  });
  namespaceController.start();
  const storageProtectionController = new StorageProtectionController(store, log, { identity });
  storageProtectionController.start();
  const serviceAccountController = new DefaultServiceAccountController(store, log, { identity });
  serviceAccountController.start();
  quotaController.start();
  const server = await startGrpcServer(
    opts.listenAddress,
    [registryService(store)],
    opts.credentials,
  );
  log.info({ port: server.port }, 'serving splitplane.v1.Registry');
  return {
    port: server.port,
    store,
    server,
    namespaceController,
    serviceAllocator,
    serviceController,
    quotaController,
    async stop() {
      await server.stop();
      await namespaceController.stop();
      await storageProtectionController.stop();
      await serviceAccountController.stop();
      await serviceController.stop();
      await quotaController.stop();
      storage.close();
    },
  };
}
