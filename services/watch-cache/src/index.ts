export { watchCacheService } from './server.js';
