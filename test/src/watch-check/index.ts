export {
  expectedEvents,
  stateAt,
  statesFrom,
  lastRelevantRv,
  digestObject,
  objectKey,
  sameDigest,
  formatDigest,
  type History,
  type HistoryChange,
  type ObjectDigest,
  type WatchEventDigest,
  type ChangeType,
} from './history.js';
export {
  compileFilter,
  parseLabelSelector,
  parseFieldSelector,
  describeFilter,
  type WatchFilter,
  type Selectable,
} from './selectors.js';
export { HistoryRecorder, RecorderError } from './recorder.js';
export { KubeHttp, TransportError, shuffle, type ClientTls, type JsonResult } from './kube-http.js';
export {
  Watcher,
  segmentPosition,
  type WatcherSpec,
  type WatcherOptions,
  type StartMode,
  type Segment,
  type SegmentEnd,
  type ObservedEvent,
} from './watcher.js';
export {
  checkSegment,
  checkWatcher,
  formatFailures,
  type SegmentResult,
  type WatcherRecord,
  type WatcherResult,
} from './checker.js';
