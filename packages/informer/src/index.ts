export type * from './feed-types.js';
export { decodeFeedEvent, FeedDecodeError, parseRv } from './feed-event.js';
export { grpcEventHistory, type GrpcEventHistoryOptions } from './event-history.js';
export { ResourceFeed, type ResourceFeedOptions } from './resource-feed.js';
