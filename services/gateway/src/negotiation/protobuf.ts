// The Kubernetes protobuf codec (packages/k8s-protobuf) behind the small interface the
// gateway uses, so tests and callers can tell whether a kind has a protobuf form.
import {
  decodeObject as decodeEnveloped,
  encodeObject as encodeEnveloped,
  encodeWatchEventFrame,
  hasProtobufMessage,
} from '@splitplane/k8s-protobuf';

export interface ProtobufCodec {
  /** A `k8s\0`-enveloped message -> the object as Kubernetes JSON. */
  decodeObject(bytes: Uint8Array): Record<string, unknown>;
  /** A Kubernetes JSON object (with apiVersion and kind) -> `k8s\0`-enveloped bytes. */
  encodeObject(obj: Record<string, unknown>): Uint8Array;
  /** One length-prefixed watch event frame (`application/vnd.kubernetes.protobuf;stream=watch`). */
  encodeWatchEventFrame(type: string, obj: Record<string, unknown>): Uint8Array;
  hasProtobufMessage(apiVersion: string, kind: string): boolean;
}

const codec: ProtobufCodec = {
  decodeObject: (bytes) => decodeEnveloped(bytes).object,
  encodeObject: encodeEnveloped,
  encodeWatchEventFrame,
  hasProtobufMessage,
};

/** Kept async-shaped for callers that load it at startup. */
export async function loadProtobufCodec(): Promise<ProtobufCodec> {
  return codec;
}

export function protobufCodec(): ProtobufCodec | undefined {
  return codec;
}
