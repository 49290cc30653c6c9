export { startRegistry, type RegistryOptions, type RunningRegistry } from './registry.js';
export { registryService } from './server.js';
export { Store, type StoreOptions } from './store/store.js';
export type { WriteContext, WriteResult, FieldValidation } from './store/context.js';
export type { Admission, AdmissionAttributes, AdmissionOperation, AdmissionPhase, AdmitResult } from './admission/admission.js';
export { DEFAULT_DESCRIBE_INTERVAL_MS, GrpcAdmission, type GrpcAdmissionOptions } from './admission/grpc-admission.js';
export { ChainView } from './admission/chain-view.js';
export { NamespaceController } from './namespace-controller/namespace-controller.js';
export { SYSTEM_NAMESPACES, ensureSystemNamespaces } from './namespace-controller/system-namespaces.js';
