// Protobuf message bytes -> the JSON kube-apiserver would write for them.
//
// Go decodes protobuf into structs and encoding/json writes those structs, so
// the JSON follows Go rules rather than proto2 presence: a value (non-pointer)
// field that is absent on the wire still appears with its zero value unless it
// is omitempty, struct fields always appear, nil pointers/slices/maps are
// omitted under omitempty and null otherwise.
import protobuf from 'protobufjs';
import { ProtobufDecodeError } from './errors.js';
import {
  formatGoDuration,
  formatRfc3339,
  formatRfc3339Micro,
  GO_ZERO_TIME_SECONDS,
} from './go-time.js';
import { type FieldPlan, type MessagePlan, requirePlan, WIRE_BYTES } from './schema.js';

const EMPTY = new Uint8Array(0);
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

type Json = unknown;
/** Per-field wire values: absent (undefined), one value, or an array for repeated/map. */
type Slots = unknown[];

/** A map field's entries as they arrive: [key, value bytes or scalar]. */
type MapEntries = [string, unknown][];

// protobufjs returns int64 as a `long` Long when that package is installed (it
// is a protobufjs dependency). Kubernetes JSON writes int64 as a plain number.
function longToNumber(value: number | protobuf.Long): number {
  return typeof value === 'number'
    ? value
    : (value as unknown as { toNumber(): number }).toNumber();
}

function readScalar(reader: protobuf.Reader, scalar: string): unknown {
  switch (scalar) {
    case 'string':
      return reader.string();
    case 'bytes':
      return reader.bytes();
    case 'bool':
      return reader.bool();
    case 'int32':
      return reader.int32();
    case 'uint32':
      return reader.uint32();
    case 'sint32':
      return reader.sint32();
    case 'int64':
      return longToNumber(reader.int64());
    case 'uint64':
      return longToNumber(reader.uint64());
    case 'sint64':
      return longToNumber(reader.sint64());
    case 'double':
      return reader.double();
    case 'float':
      return reader.float();
    case 'fixed32':
      return reader.fixed32();
    case 'sfixed32':
      return reader.sfixed32();
    case 'fixed64':
      return longToNumber(reader.fixed64());
    case 'sfixed64':
      return longToNumber(reader.sfixed64());
    default:
      throw new ProtobufDecodeError(`unsupported scalar type ${scalar}`);
  }
}

function readMapEntry(field: FieldPlan, bytes: Uint8Array): [string, unknown] {
  const reader = protobuf.Reader.create(bytes);
  let key = '';
  let value: unknown;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const num = tag >>> 3;
    const wire = tag & 7;
    if (num === 1 && wire === WIRE_BYTES) key = reader.string();
    else if (num === 2 && field.messageName && wire === WIRE_BYTES) value = reader.bytes();
    else if (num === 2 && field.scalar && wire === field.wireType)
      value = readScalar(reader, field.scalar);
    else reader.skipType(wire);
  }
  return [key, value];
}

/** Reads a message's fields into slots indexed like plan.fields. */
function readSlots(plan: MessagePlan, bytes: Uint8Array): Slots {
  const slots: Slots = new Array(plan.fields.length);
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const num = tag >>> 3;
    const wire = tag & 7;
    if (num === 0) throw new ProtobufDecodeError('illegal field number 0');
    const index = plan.indexByNumber[num];
    if (index === undefined) {
      reader.skipType(wire);
      continue;
    }
    const field = plan.fields[index]!;
    if (field.map) {
      if (wire !== WIRE_BYTES) throw wrongWire(plan, field, wire);
      const entries = (slots[index] as MapEntries | undefined) ?? (slots[index] = []);
      (entries as MapEntries).push(readMapEntry(field, reader.bytes()));
    } else if (field.messageName) {
      if (wire !== WIRE_BYTES) throw wrongWire(plan, field, wire);
      const sub = reader.bytes();
      if (field.repeated)
        ((slots[index] as Uint8Array[] | undefined) ?? ((slots[index] = []) as Uint8Array[])).push(
          sub,
        );
      // A repeated occurrence of a singular message merges into the first,
      // which for protobuf is the same as decoding the concatenated bytes.
      else
        slots[index] = slots[index] === undefined ? sub : concat(slots[index] as Uint8Array, sub);
    } else if (field.repeated) {
      const values = (slots[index] as unknown[] | undefined) ?? (slots[index] = []);
      if (wire === WIRE_BYTES && field.wireType !== WIRE_BYTES) {
        // Packed encoding of a repeated number; Go accepts both forms.
        const end = reader.uint32() + reader.pos;
        while (reader.pos < end) (values as unknown[]).push(readScalar(reader, field.scalar!));
      } else if (wire === field.wireType) {
        (values as unknown[]).push(readScalar(reader, field.scalar!));
      } else throw wrongWire(plan, field, wire);
    } else {
      if (wire !== field.wireType) throw wrongWire(plan, field, wire);
      slots[index] = readScalar(reader, field.scalar!);
    }
  }
  return slots;
}

function wrongWire(plan: MessagePlan, field: FieldPlan, wire: number): ProtobufDecodeError {
  return new ProtobufDecodeError(`${plan.name}.${field.protoName}: wrong wire type ${wire}`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function scalarZero(scalar: string): unknown {
  return scalar === 'string' ? '' : scalar === 'bool' ? false : 0;
}

function scalarJson(scalar: string, value: unknown): Json {
  return scalar === 'bytes' ? base64(value as Uint8Array) : value;
}

function slot(plan: MessagePlan, slots: Slots, protoName: string): unknown {
  const index = plan.fields.findIndex((f) => f.protoName === protoName);
  return index < 0 ? undefined : slots[index];
}

/** Decodes one message's bytes into its Go JSON form. */
export function messageJson(plan: MessagePlan, bytes: Uint8Array): Json {
  switch (plan.go) {
    case 'struct':
      return structJson(plan, readSlots(plan, bytes));
    case 'slice': {
      // Go decodes a present slice message (and any map value) as a non-nil slice.
      const items = (readSlots(plan, bytes)[0] as unknown[] | undefined) ?? [];
      const field = plan.fields[0]!;
      return items.map((item) =>
        field.scalar
          ? scalarJson(field.scalar, item)
          : messageJson(requirePlan(field.messageName!), item as Uint8Array),
      );
    }
    case 'time': {
      // Go writes nothing for the zero time and reads nothing back as zero.
      if (bytes.length === 0) return null;
      const seconds = (slot(plan, readSlots(plan, bytes), 'seconds') as number | undefined) ?? 0;
      return seconds === GO_ZERO_TIME_SECONDS ? null : formatRfc3339(seconds);
    }
    case 'microTime': {
      if (bytes.length === 0) return null;
      const slots = readSlots(plan, bytes);
      const seconds = (slot(plan, slots, 'seconds') as number | undefined) ?? 0;
      const nanos = (slot(plan, slots, 'nanos') as number | undefined) ?? 0;
      if (seconds === GO_ZERO_TIME_SECONDS && Math.trunc(nanos / 1000) === 0) return null;
      return formatRfc3339Micro(seconds, nanos);
    }
    case 'duration':
      return formatGoDuration(
        (slot(plan, readSlots(plan, bytes), 'duration') as number | undefined) ?? 0,
      );
    case 'quantity': {
      if (bytes.length === 0) return '0';
      const text = slot(plan, readSlots(plan, bytes), 'string') as string | undefined;
      // Go's ParseQuantity rejects the empty string, failing the whole request.
      if (!text) throw new ProtobufDecodeError(`${plan.name}: empty quantity`);
      return text;
    }
    case 'intOrString': {
      const slots = readSlots(plan, bytes);
      return slot(plan, slots, 'type') === 1
        ? ((slot(plan, slots, 'strVal') as string | undefined) ?? '')
        : ((slot(plan, slots, 'intVal') as number | undefined) ?? 0);
    }
    case 'rawJson':
      return rawJson(
        plan,
        slot(plan, readSlots(plan, bytes), plan.fields[0]!.protoName) as Uint8Array | undefined,
      );
    case 'groupVersion': {
      const slots = readSlots(plan, bytes);
      const group = (slot(plan, slots, 'group') as string | undefined) ?? '';
      const version = (slot(plan, slots, 'version') as string | undefined) ?? '';
      return group ? `${group}/${version}` : version;
    }
    case 'schemaOrBool': {
      const slots = readSlots(plan, bytes);
      const schema = slot(plan, slots, 'schema') as Uint8Array | undefined;
      if (schema) return messageJson(schemaPlan(plan, 'schema'), schema);
      return (slot(plan, slots, 'allows') as boolean | undefined) ?? false;
    }
    case 'schemaOrArray': {
      const slots = readSlots(plan, bytes);
      const list = slot(plan, slots, 'jSONSchemas') as Uint8Array[] | undefined;
      const elem = schemaPlan(plan, 'schema');
      if (list && list.length > 0) return list.map((b) => messageJson(elem, b));
      const schema = slot(plan, slots, 'schema') as Uint8Array | undefined;
      return schema ? messageJson(elem, schema) : null;
    }
    case 'schemaOrStringArray': {
      const slots = readSlots(plan, bytes);
      const list = slot(plan, slots, 'property') as string[] | undefined;
      if (list && list.length > 0) return list;
      const schema = slot(plan, slots, 'schema') as Uint8Array | undefined;
      return schema ? messageJson(schemaPlan(plan, 'schema'), schema) : null;
    }
    case 'unknown':
      throw new ProtobufDecodeError(`${plan.name}: nested runtime.Unknown is not supported`);
  }
}

function schemaPlan(plan: MessagePlan, protoName: string): MessagePlan {
  return requirePlan(plan.fields.find((f) => f.protoName === protoName)!.messageName!);
}

/** RawExtension, FieldsV1 and apiextensions JSON carry JSON text as bytes. */
function rawJson(plan: MessagePlan, raw: Uint8Array | undefined): Json {
  if (raw === undefined || raw.length === 0) return null;
  // A protobuf client may embed an object in protobuf form (k8s\0 envelope).
  if (raw.length >= 4 && MAGIC.every((b, i) => raw[i] === b)) return embeddedObject(raw);
  try {
    return JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8'));
  } catch {
    throw new ProtobufDecodeError(`${plan.name}: embedded data is not JSON`);
  }
}

/** Set by the envelope module to decode objects nested in a RawExtension. */
let embeddedObject: (bytes: Uint8Array) => Json = () => {
  throw new ProtobufDecodeError('embedded protobuf object without an envelope decoder');
};

export function setEmbeddedObjectDecoder(decode: (bytes: Uint8Array) => Json): void {
  embeddedObject = decode;
}

/** Builds a struct's JSON object from its slots, in Go field order. */
export function structJson(plan: MessagePlan, slots: Slots): Record<string, Json> {
  const out: Record<string, Json> = {};
  let inlined: Record<string, Json>[] | undefined;
  for (let i = 0; i < plan.fields.length; i++) {
    const field = plan.fields[i]!;
    const value = slots[i];
    if (field.inline) {
      if (value === undefined && field.pointer) continue;
      const json = messageJson(
        requirePlan(field.messageName!),
        (value as Uint8Array | undefined) ?? EMPTY,
      );
      (inlined ??= []).push(json as Record<string, Json>);
      continue;
    }
    const name = field.jsonName;
    if (name === '-') continue;
    if (value === undefined) {
      absentField(out, field, name);
      continue;
    }
    if (field.map) {
      out[name] = mapJson(field, value as MapEntries);
    } else if (field.repeated) {
      const items = value as unknown[];
      out[name] = field.scalar
        ? items.map((item) => scalarJson(field.scalar!, item))
        : items.map((item) => messageJson(requirePlan(field.messageName!), item as Uint8Array));
    } else if (field.messageName) {
      const sub = requirePlan(field.messageName);
      const json = messageJson(sub, value as Uint8Array);
      // A present slice-typed message is a non-nil (possibly empty) slice.
      if (sub.go === 'slice' && field.omitEmpty && (json as unknown[]).length === 0) continue;
      out[name] = json;
    } else if (field.scalar === 'bytes') {
      // Go's omitempty drops an empty []byte even when present on the wire.
      if (field.omitEmpty && !field.pointer && (value as Uint8Array).length === 0) continue;
      out[name] = base64(value as Uint8Array);
    } else {
      if (field.omitEmpty && !field.pointer && value === scalarZero(field.scalar!)) continue;
      out[name] = value;
    }
  }
  // encoding/json lets a struct's own fields win over promoted ones.
  if (inlined)
    for (const json of inlined)
      for (const key of Object.keys(json)) if (!(key in out)) out[key] = json[key];
  return out;
}

function absentField(out: Record<string, Json>, field: FieldPlan, name: string): void {
  if (field.map || field.repeated || field.pointer) {
    if (!field.omitEmpty) out[name] = null;
    return;
  }
  if (field.messageName) {
    const sub = requirePlan(field.messageName);
    // A nil named slice behaves like a nil pointer; every struct is written.
    if (sub.go === 'slice') {
      if (!field.omitEmpty) out[name] = null;
    } else out[name] = messageJson(sub, EMPTY);
    return;
  }
  if (field.scalar === 'bytes') {
    if (!field.omitEmpty) out[name] = null;
    return;
  }
  if (!field.omitEmpty) out[name] = scalarZero(field.scalar!);
}

function mapJson(field: FieldPlan, entries: MapEntries): Record<string, Json> {
  const sub = field.messageName ? requirePlan(field.messageName) : undefined;
  const byKey = new Map<string, unknown>();
  for (const [key, value] of entries) byKey.set(key, value);
  const out: Record<string, Json> = {};
  // encoding/json writes map keys sorted.
  for (const key of [...byKey.keys()].sort()) {
    const value = byKey.get(key);
    if (sub) out[key] = messageJson(sub, (value as Uint8Array | undefined) ?? EMPTY);
    else if (field.scalar === 'bytes')
      out[key] = value === undefined ? null : base64(value as Uint8Array);
    else out[key] = value ?? scalarZero(field.scalar!);
  }
  return out;
}
