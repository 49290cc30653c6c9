export { startRegistry, type RegistryOptions, type RunningRegistry } from './registry.js';
export { registryService } from './server.js';
export { Store, type StoreOptions } from './store/store.js';
export type { WriteContext, WriteResult, FieldValidation } from './store/context.js';
export type {
  Admission,
  AdmissionAttributes,
  AdmissionOperation,
  AdmissionPhase,
  AdmitResult,
} from './admission/admission.js';
export {
  DEFAULT_DESCRIBE_INTERVAL_MS,
  GrpcAdmission,
  type GrpcAdmissionOptions,
} from './admission/grpc-admission.js';
export { ChainView } from './admission/chain-view.js';
export { NamespaceController } from './namespace-controller/namespace-controller.js';
export {
  SYSTEM_NAMESPACES,
  ensureSystemNamespaces,
} from './namespace-controller/system-namespaces.js';
export {
  DEFAULT_SERVICE_CLUSTER_IP_RANGE,
  DEFAULT_SERVICE_NODE_PORT_RANGE,
  PortRange,
  RangeFlagError,
  ServiceIPRange,
} from './allocators/ranges.js';
export {
  AllocationError,
  AlreadyAllocatedError,
  EtcdAllocator,
  NotInRangeError,
  RangeFullError,
  type AllocationOwner,
} from './allocators/etcd-allocator.js';
export {
  SERVICE_IP_PREFIX,
  SERVICE_NODE_PORT_PREFIX,
  ServiceAllocator,
} from './allocators/service-allocation.js';
export {
  DEFAULT_KUBERNETES_SERVICE_PORT,
  ensureKubernetesService,
} from './service-controller/kubernetes-service.js';
export { ServiceController } from './service-controller/service-controller.js';
export type { WriteHooks, Finish } from './store/write-hooks.js';
