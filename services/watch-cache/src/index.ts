export { watchCacheService } from './server.js';
export { filterFor, type ObjectFilter } from './filter.js';
