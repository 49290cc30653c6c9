export {
  PROTOBUF_CONTENT_TYPE,
  decodeObject,
  encodeObject,
  hasProtobufMessage,
  type DecodedObject,
} from './envelope.js';
export { ProtobufDecodeError, ProtobufEncodeError } from './errors.js';
export {
  decodeWatchEvent,
  encodeWatchEvent,
  encodeWatchEventFrame,
  frameMessage,
  splitFrames,
  type WatchEventType,
} from './watch.js';
