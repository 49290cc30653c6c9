// The k8s\0 envelope: 4 magic bytes, then a runtime.Unknown message whose
// typeMeta names the apiVersion/kind and whose raw field holds the object's
// own message. Go writes all four Unknown fields, empty ones included, and we
// do the same so our bytes equal kube-apiserver's.
import protobuf from 'protobufjs';
import { messageJson, setEmbeddedObjectDecoder } from './decode-message.js';
import { writeMessage } from './encode-message.js';
import { ProtobufDecodeError, ProtobufEncodeError } from './errors.js';
import { messageNameForKind, messagePlan, type MessagePlan } from './schema.js';

/** Media type of Kubernetes protobuf bodies. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  /** The object as Kubernetes JSON, apiVersion and kind included. */
  object: Record<string, unknown>;
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

function readEnvelope(bytes: Uint8Array): Envelope {
  if (bytes.length < MAGIC.length || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new ProtobufDecodeError('not a Kubernetes protobuf object: missing k8s\\0 prefix');
  }
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '' };
  const reader = protobuf.Reader.create(bytes.subarray(MAGIC.length));
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    switch (tag) {
      case (1 << 3) | 2: {
        const meta = protobuf.Reader.create(reader.bytes());
        while (meta.pos < meta.len) {
          const metaTag = meta.uint32();
          if (metaTag === ((1 << 3) | 2)) env.apiVersion = meta.string();
          else if (metaTag === ((2 << 3) | 2)) env.kind = meta.string();
          else meta.skipType(metaTag & 7);
        }
        break;
      }
      case (2 << 3) | 2:
        env.raw = reader.bytes();
        break;
      case (3 << 3) | 2:
        env.contentEncoding = reader.string();
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return env;
}

function planFor(apiVersion: string, kind: string): MessagePlan | undefined {
  const name = messageNameForKind(apiVersion, kind);
  return name === undefined ? undefined : messagePlan(name);
}

/** Whether Kubernetes defines a protobuf message for this apiVersion/kind. */
export function hasProtobufMessage(apiVersion: string, kind: string): boolean {
  return planFor(apiVersion, kind)?.go === 'struct';
}

/** Decodes an enveloped Kubernetes protobuf object into Kubernetes JSON. */
export function decodeObject(bytes: Uint8Array): DecodedObject {
  let env: Envelope;
  try {
    env = readEnvelope(bytes);
  } catch (err) {
    throw asDecodeError(err);
  }
  if (env.contentEncoding !== '')
    throw new ProtobufDecodeError(
      `unsupported content encoding ${JSON.stringify(env.contentEncoding)}`,
    );
  if (env.kind === '') throw new ProtobufDecodeError('protobuf envelope has no kind');
  const plan = planFor(env.apiVersion, env.kind);
  if (!plan || plan.go !== 'struct')
    throw new ProtobufDecodeError(
      `no protobuf message for ${env.apiVersion || '(no apiVersion)'}, Kind=${env.kind}`,
    );
  let body: Record<string, unknown>;
  try {
    body = messageJson(plan, env.raw) as Record<string, unknown>;
  } catch (err) {
    throw asDecodeError(err);
  }
  // TypeMeta is not part of the message; it comes from the envelope.
  const object = { apiVersion: env.apiVersion, kind: env.kind, ...body };
  return { apiVersion: env.apiVersion, kind: env.kind, object };
}

function asDecodeError(err: unknown): ProtobufDecodeError {
  if (err instanceof ProtobufDecodeError) return err;
  // protobufjs signals truncation with a RangeError ("index out of range").
  const detail = err instanceof Error ? err.message : String(err);
  return new ProtobufDecodeError(`malformed protobuf: ${detail}`);
}

/** Encodes the message body (no envelope) for a JSON object's kind. */
export function encodeMessage(obj: Record<string, unknown>): {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
} {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || kind === '') {
    throw new ProtobufEncodeError('object needs string apiVersion and kind');
  }
  const plan = planFor(apiVersion, kind);
  if (!plan || plan.go !== 'struct')
    throw new ProtobufEncodeError(`no protobuf message for ${apiVersion}, Kind=${kind}`);
  const writer = protobuf.Writer.create();
  writeMessage(writer, plan, obj, kind);
  return { apiVersion, kind, raw: writer.finish() };
}

/** Encodes a Kubernetes JSON object (apiVersion and kind set) as enveloped protobuf. */
export function encodeObject(obj: Record<string, unknown>): Uint8Array {
  const { apiVersion, kind, raw } = encodeMessage(obj);
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).fork();
  w.uint32((1 << 3) | 2).string(apiVersion);
  w.uint32((2 << 3) | 2).string(kind);
  w.ldelim();
  w.uint32((2 << 3) | 2).bytes(raw);
  w.uint32((3 << 3) | 2).string('');
  w.uint32((4 << 3) | 2).string('');
  const unknown = w.finish();
  const out = new Uint8Array(MAGIC.length + unknown.length);
  out.set(MAGIC, 0);
  out.set(unknown, MAGIC.length);
  return out;
}

setEmbeddedObjectDecoder((bytes) => decodeObject(bytes).object);
