export * from './authorizer/index.js';
export { authorizerService } from './server.js';
