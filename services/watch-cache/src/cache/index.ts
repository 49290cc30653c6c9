export type { CachedObject, ResourceCache, CacheView } from './types.js';
