export * from './chain/index.js';
export { admissionService, type AdmissionServiceOptions } from './server.js';
export * from './hub/index.js';
export * from './sources/admission-config.js';
