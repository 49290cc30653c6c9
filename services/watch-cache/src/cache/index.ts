export type { CachedObject, ResourceCache, CacheView } from './types.js';
export {
  WatchCache,
  createWatchCache,
  type WatchCacheOptions,
  type CacheEventListener,
} from './watch-cache.js';
export { KeyRouter, SPLITPLANE_PREFIX, type RoutedResource, type ParsedKey } from './key-router.js';
export { ResourceNotCachedError, StaleListError } from './errors.js';
export { cachedObjectFromJson } from './cached-object.js';
export { compareByKey, lowerBound } from './sorted-objects.js';
