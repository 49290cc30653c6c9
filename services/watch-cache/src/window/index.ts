export { MAX_RV, InvalidResourceVersionError, parseRv, formatRv, assertRv } from './rv.js';
export {
  EVENT_OVERHEAD_BYTES,
  eventBytes,
  type EventType,
  type EventInput,
  type WindowEvent,
} from './event.js';
export {
  WindowAppendError,
  OutOfOrderEventError,
  PrevRvMismatchError,
  EventGapError,
  TooOld,
  NotYet,
  isTooOld,
  isNotYet,
  type RvPosition,
} from './errors.js';
export {
  EventWindow,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_MAX_EVENTS,
  DEFAULT_MAX_BYTES,
  type WindowLimits,
  type EventWindowOptions,
} from './event-window.js';
export { WindowSet, resourceKey, type WindowSetOptions } from './window-set.js';
