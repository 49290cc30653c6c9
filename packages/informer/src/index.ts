export type * from './feed-types.js';
export { decodeFeedEvent, FeedDecodeError, parseRv } from './feed-event.js';
export { grpcEventHistory, type GrpcEventHistoryOptions } from './event-history.js';
export { ResourceFeed, type ResourceFeedOptions, type ResourceFeedStats } from './resource-feed.js';
export {
  Informer,
  InformerStoppedError,
  type InformerHandlers,
  type InformerOptions,
  type InformerResource,
} from './informer.js';
export {
  IndexedStore,
  NAMESPACE_INDEX,
  UnknownIndexError,
  keyOf,
  storeKey,
  type Indexer,
  type ReadonlyStore,
} from './store.js';
