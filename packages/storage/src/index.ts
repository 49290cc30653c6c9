export { createEtcdClient, ETCD_MAX_RECEIVE_BYTES, type EtcdClientOptions } from './etcd-client.js';
export {
  EtcdStorage,
  DELETE,
  DEFAULT_MAX_REQUEST_BYTES,
  type DeleteMarker,
  type CallScope,
  type WriteOptions,
  type GetResult,
  type CreateResult,
  type RawGetResult,
  type TryUpdate,
  type GuaranteedUpdateOptions,
  type UpdateResult,
  type DeleteOptions,
  type EtcdStorageOptions,
} from './etcd-storage.js';
export { type ListOptions, type ListResult, type RawListResult } from './list.js';
export { jsonWithResourceVersion } from './raw-json.js';
export { encodeContinue, decodeContinue, type ContinueToken } from './continue-token.js';
export { type Preconditions, checkPreconditions } from './preconditions.js';
export {
  encodeObject,
  encodeObjectForReply,
  type EncodedObject,
  decodeObject,
  withResourceVersion,
  prefixEnd,
} from './codec.js';
export { kvRpc, type KvRpc } from './kv-rpc.js';
export {
  StorageError,
  KeyExistsError,
  KeyNotFoundError,
  ConflictError,
  PreconditionError,
  CompactedError,
  EntityTooLargeError,
} from './errors.js';
export { LEADER_ELECTION_PREFIX, leaderElectionKey } from './keys.js';
export { LeaderElector, type LeaderElectionOptions } from './leader-election.js';
export {
  watchPrefix,
  WatchStreamError,
  type WatchStream,
  type WatchPrefixOptions,
  type EtcdWatchEvent,
  type EtcdWatchMessage,
} from './watch/raw-watch.js';
