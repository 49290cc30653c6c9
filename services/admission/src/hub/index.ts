export { WatchCacheHub, type WatchCacheHubOptions } from './informer-hub.js';
export { HubUnavailableError, UnavailableHub } from './unavailable-hub.js';
export {
  RESOURCES,
  UnknownKindError,
  builtinResource,
  informerResourceOf,
  resourceForKind,
} from './resources.js';
