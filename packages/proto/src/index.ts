// The generated gRPC contracts (proto/splitplane/v1), re-exported as one module.
export * from './gen/splitplane/v1/common.js';
export * from './gen/splitplane/v1/registry.js';
export * from './gen/splitplane/v1/watch_cache.js';
export * from './gen/splitplane/v1/authz.js';
export * from './gen/splitplane/v1/admission.js';
