// Protobuf watch streams. kube-apiserver writes each event as a bare
// meta/v1 WatchEvent message (no k8s\0 envelope: the stream serializer is
// Go's raw protobuf serializer) whose object RawExtension holds the object in
// the usual envelope, and frames every message with a 4-byte big-endian length
// (apimachinery's LengthDelimitedFramer).
import protobuf from 'protobufjs';
import { decodeObject, encodeObject } from './envelope.js';
import { ProtobufDecodeError } from './errors.js';

/** Watch event types as kube-apiserver sends them. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** Encodes a meta/v1 WatchEvent message (unframed, no envelope). */
export function encodeWatchEvent(
  type: WatchEventType | string,
  obj: Record<string, unknown>,
): Uint8Array {
  const object = encodeObject(obj);
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).string(type);
  w.uint32((2 << 3) | 2).fork();
  w.uint32((1 << 3) | 2).bytes(object);
  w.ldelim();
  return w.finish();
}

/** Decodes a meta/v1 WatchEvent message (unframed) into its type and JSON object. */
export function decodeWatchEvent(message: Uint8Array): {
  type: string;
  object: Record<string, unknown>;
} {
  let type = '';
  let raw: Uint8Array | undefined;
  try {
    const reader = protobuf.Reader.create(message);
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag === ((1 << 3) | 2)) type = reader.string();
      else if (tag === ((2 << 3) | 2)) {
        const ext = protobuf.Reader.create(reader.bytes());
        while (ext.pos < ext.len) {
          const extTag = ext.uint32();
          if (extTag === ((1 << 3) | 2)) raw = ext.bytes();
          else ext.skipType(extTag & 7);
        }
      } else reader.skipType(tag & 7);
    }
  } catch (err) {
    throw new ProtobufDecodeError(
      `malformed watch event: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!raw) throw new ProtobufDecodeError('watch event has no object');
  return { type, object: decodeObject(raw).object };
}

/** Prefixes a message with its 4-byte big-endian length, one watch stream frame. */
export function frameMessage(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + message.length);
  new DataView(out.buffer).setUint32(0, message.length, false);
  out.set(message, 4);
  return out;
}

/** Encodes one framed watch event, ready to write to the response stream. */
export function encodeWatchEventFrame(
  type: WatchEventType | string,
  obj: Record<string, unknown>,
): Uint8Array {
  return frameMessage(encodeWatchEvent(type, obj));
}

/**
 * Splits a buffer of length-prefixed frames. Returns the complete messages and
 * the unconsumed tail (a partial frame to keep for the next chunk).
 */
export function splitFrames(buffer: Uint8Array): { messages: Uint8Array[]; rest: Uint8Array } {
  const messages: Uint8Array[] = [];
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let pos = 0;
  while (buffer.length - pos >= 4) {
    const len = view.getUint32(pos, false);
    if (buffer.length - pos - 4 < len) break;
    messages.push(buffer.subarray(pos + 4, pos + 4 + len));
    pos += 4 + len;
  }
  return { messages, rest: buffer.subarray(pos) };
}
