// Kubernetes JSON -> protobuf message bytes, the way Go would write them after
// json.Unmarshal into the typed struct: fields in number order, value fields
// always (zero when absent), pointers/slices/maps only when non-nil, map keys
// sorted. Matching Go byte for byte keeps our responses identical to
// kube-apiserver's and makes the Go fixtures a byte-exact test.
import protobuf from 'protobufjs';
import { ProtobufEncodeError } from './errors.js';
import { GO_ZERO_TIME_SECONDS, parseGoDuration, parseRfc3339 } from './go-time.js';
import { type FieldPlan, type MessagePlan, requirePlan } from './schema.js';

type JsonObject = Record<string, unknown>;

function fail(message: string): never {
  throw new ProtobufEncodeError(message);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function writeScalar(w: protobuf.Writer, scalar: string, value: unknown, where: string): void {
  switch (scalar) {
    case 'string':
      if (typeof value !== 'string') fail(`${where}: expected a string`);
      w.string(value);
      return;
    case 'bool':
      if (typeof value !== 'boolean') fail(`${where}: expected a boolean`);
      w.bool(value);
      return;
    case 'bytes': {
      if (typeof value !== 'string') fail(`${where}: expected base64 data`);
      w.bytes(Buffer.from(value, 'base64'));
      return;
    }
    case 'double':
    case 'float':
      if (typeof value !== 'number') fail(`${where}: expected a number`);
      if (scalar === 'double') w.double(value);
      else w.float(value);
      return;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(`${where}: expected an integer`);
  switch (scalar) {
    case 'int32':
      w.int32(value);
      return;
    case 'uint32':
      w.uint32(value);
      return;
    case 'sint32':
      w.sint32(value);
      return;
    case 'int64':
      w.int64(value);
      return;
    case 'uint64':
      w.uint64(value);
      return;
    case 'sint64':
      w.sint64(value);
      return;
    case 'fixed32':
      w.fixed32(value);
      return;
    case 'sfixed32':
      w.sfixed32(value);
      return;
    case 'fixed64':
      w.fixed64(value);
      return;
    case 'sfixed64':
      w.sfixed64(value);
      return;
  }
  fail(`${where}: unsupported scalar type ${scalar}`);
}

function scalarZero(scalar: string): unknown {
  return scalar === 'string' ? '' : scalar === 'bool' ? false : 0;
}

/** Writes a length-delimited sub-message for `field` holding `value`. */
function writeSubMessage(
  w: protobuf.Writer,
  field: FieldPlan,
  plan: MessagePlan,
  value: unknown,
  where: string,
): void {
  w.uint32(field.tag).fork();
  writeMessage(w, plan, value, where);
  w.ldelim();
}

/** Writes the body of one message (no tag or length) from its JSON form. */
export function writeMessage(
  w: protobuf.Writer,
  plan: MessagePlan,
  value: unknown,
  where: string,
): void {
  switch (plan.go) {
    case 'struct':
      if (value !== undefined && value !== null && !isObject(value))
        fail(`${where}: expected an object`);
      writeStruct(w, plan, (value as JsonObject | null | undefined) ?? undefined, where);
      return;
    case 'slice': {
      if (value === null || value === undefined) return;
      if (!Array.isArray(value)) fail(`${where}: expected an array`);
      const field = plan.fields[0]!;
      for (const item of value) writeElement(w, field, item, where);
      return;
    }
    case 'time':
    case 'microTime':
      writeInstant(w, plan, value, where);
      return;
    case 'duration': {
      const nanos =
        value === undefined || value === null
          ? 0
          : typeof value === 'string'
            ? parseGoDuration(value)
            : undefined;
      if (nanos === undefined) fail(`${where}: expected a duration string`);
      w.uint32(plan.fields[0]!.tag).int64(nanos);
      return;
    }
    case 'quantity': {
      // Go re-parses and writes Quantity.String(); we keep the given text, which
      // is the same whenever the client sent canonical form (Go clients do).
      const text =
        value === undefined || value === null
          ? '0'
          : typeof value === 'number'
            ? String(value)
            : value;
      if (typeof text !== 'string' || text === '') fail(`${where}: expected a quantity`);
      w.uint32(plan.fields[0]!.tag).string(text);
      return;
    }
    case 'intOrString': {
      const [typeField, intField, strField] = plan.wireOrder;
      const isString = typeof value === 'string';
      if (
        !isString &&
        value !== undefined &&
        value !== null &&
        (typeof value !== 'number' || !Number.isInteger(value))
      ) {
        fail(`${where}: expected an integer or a string`);
      }
      w.uint32(typeField!.tag).int64(isString ? 1 : 0);
      w.uint32(intField!.tag).int32(isString ? 0 : ((value as number | null | undefined) ?? 0));
      w.uint32(strField!.tag).string(isString ? value : '');
      return;
    }
    case 'rawJson':
      // Go stores the JSON text; null leaves Raw nil, which is not written.
      if (value === undefined || value === null) return;
      w.uint32(plan.fields[0]!.tag).bytes(Buffer.from(JSON.stringify(value), 'utf8'));
      return;
    case 'groupVersion': {
      if (typeof value !== 'string' && value !== undefined && value !== null)
        fail(`${where}: expected group/version`);
      const text = value ?? '';
      const slash = text.indexOf('/');
      const [groupField, versionField] = plan.wireOrder;
      w.uint32(groupField!.tag).string(slash < 0 ? '' : text.slice(0, slash));
      w.uint32(versionField!.tag).string(slash < 0 ? text : text.slice(slash + 1));
      return;
    }
    case 'schemaOrBool': {
      const allows = field(plan, 'allows');
      const schema = field(plan, 'schema');
      if (isObject(value)) {
        w.uint32(allows.tag).bool(true);
        writeSubMessage(w, schema, requirePlan(schema.messageName!), value, where);
      } else {
        if (typeof value !== 'boolean' && value !== undefined && value !== null)
          fail(`${where}: expected a boolean or a schema`);
        w.uint32(allows.tag).bool(value === true);
      }
      return;
    }
    case 'schemaOrArray':
    case 'schemaOrStringArray': {
      const schema = field(plan, 'schema');
      const list = field(plan, plan.go === 'schemaOrArray' ? 'jSONSchemas' : 'property');
      if (isObject(value))
        writeSubMessage(w, schema, requirePlan(schema.messageName!), value, where);
      else if (Array.isArray(value)) for (const item of value) writeElement(w, list, item, where);
      else if (value !== undefined && value !== null)
        fail(`${where}: expected an array or a schema`);
      return;
    }
    case 'unknown':
      fail(`${where}: nested runtime.Unknown is not supported`);
  }
}

function field(plan: MessagePlan, protoName: string): FieldPlan {
  return plan.fields.find((f) => f.protoName === protoName)!;
}

function writeInstant(w: protobuf.Writer, plan: MessagePlan, value: unknown, where: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') fail(`${where}: expected an RFC 3339 time`);
  const instant = parseRfc3339(value);
  if (!instant) fail(`${where}: expected an RFC 3339 time`);
  // Go's zero time marshals to nothing.
  if (instant.seconds === GO_ZERO_TIME_SECONDS && instant.nanos === 0) return;
  const [seconds, nanos] = plan.wireOrder;
  w.uint32(seconds!.tag).int64(instant.seconds);
  // meta/v1 Time drops sub-second precision on the wire; MicroTime keeps it.
  w.uint32(nanos!.tag).int32(plan.go === 'time' ? 0 : instant.nanos);
}

/** Writes one element of a repeated field (tag included). */
function writeElement(w: protobuf.Writer, f: FieldPlan, item: unknown, where: string): void {
  if (f.scalar) {
    w.uint32(f.tag);
    writeScalar(w, f.scalar, item, where);
  } else writeSubMessage(w, f, requirePlan(f.messageName!), item, where);
}

function writeStruct(
  w: protobuf.Writer,
  plan: MessagePlan,
  obj: JsonObject | undefined,
  where: string,
): void {
  for (const f of plan.wireOrder) {
    if (f.inline) {
      const sub = requirePlan(f.messageName!);
      // encoding/json allocates an embedded pointer only when one of its keys is set.
      if (f.pointer && !(obj && sub.fields.some((sf) => obj[sf.jsonName] !== undefined))) continue;
      writeSubMessage(w, f, sub, obj, where);
      continue;
    }
    const value = obj === undefined || f.jsonName === '-' ? undefined : obj[f.jsonName];
    const at = `${where}.${f.jsonName}`;
    if (f.map) {
      if (value === undefined || value === null) continue;
      if (!isObject(value)) fail(`${at}: expected an object`);
      writeMap(w, f, value, at);
    } else if (f.repeated) {
      if (value === undefined || value === null) continue;
      if (!Array.isArray(value)) fail(`${at}: expected an array`);
      for (const item of value) writeElement(w, f, item, at);
    } else if (f.messageName) {
      const sub = requirePlan(f.messageName);
      if ((f.pointer || sub.go === 'slice') && (value === undefined || value === null)) continue;
      writeSubMessage(w, f, sub, value, at);
    } else {
      // A nil pointer or a nil []byte is not written; value fields always are.
      if ((f.pointer || f.scalar === 'bytes') && (value === undefined || value === null)) continue;
      w.uint32(f.tag);
      writeScalar(w, f.scalar!, value ?? scalarZero(f.scalar!), at);
    }
  }
}

function writeMap(w: protobuf.Writer, f: FieldPlan, value: JsonObject, where: string): void {
  const sub = f.messageName ? requirePlan(f.messageName) : undefined;
  // Go's generated marshallers sort map keys (byte order, like sort.Strings).
  const keys = Object.keys(value).sort(compareBytes);
  for (const key of keys) {
    const item = value[key];
    const at = `${where}[${key}]`;
    w.uint32(f.tag).fork();
    w.uint32((1 << 3) | 2).string(key);
    if (sub) {
      w.uint32((2 << 3) | 2).fork();
      writeMessage(w, sub, item, at);
      w.ldelim();
    } else if (f.scalar === 'bytes') {
      if (item !== null && item !== undefined) {
        w.uint32((2 << 3) | 2);
        writeScalar(w, 'bytes', item, at);
      }
    } else {
      w.uint32((2 << 3) | f.wireType);
      writeScalar(w, f.scalar!, item ?? scalarZero(f.scalar!), at);
    }
    w.ldelim();
  }
}

const NON_BASIC = /[\ud800-\uffff]/;

function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 code unit order equals UTF-8 byte order below U+D800.
  if (!NON_BASIC.test(a) && !NON_BASIC.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
