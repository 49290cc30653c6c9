export { WatchCacheHub, type WatchCacheHubOptions } from './informer-hub.js';
export { HubUnavailableError, UnavailableHub } from './unavailable-hub.js';
export { UnknownKindError, resourceForKind } from './resources.js';
