export * from './chain/index.js';
export { admissionService } from './server.js';
