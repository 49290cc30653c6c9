export * from './grpc-status.js';
export * from './grpc-server.js';
export * from './grpc-client.js';
export * from './grpc-options.js';
export * from './health-client.js';
export * from './flags.js';
export * from './logger.js';
export * from './run-service.js';
