export { startRegistry, type RegistryOptions, type RunningRegistry } from './registry.js';
export { registryService } from './server.js';
export { Store, type StoreOptions } from './store/store.js';
export type { WriteContext, WriteResult, FieldValidation } from './store/context.js';
export type { Admission, AdmissionAttributes, AdmissionOperation, AdmitResult } from './admission/admission.js';
export { GrpcAdmission } from './admission/grpc-admission.js';
export { NamespaceController } from './namespace-controller/namespace-controller.js';
export { SYSTEM_NAMESPACES, ensureSystemNamespaces } from './namespace-controller/system-namespaces.js';
