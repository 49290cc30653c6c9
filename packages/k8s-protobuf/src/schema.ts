// The compiled wire schema: protobuf field facts from the generated descriptor
// (numbers, types, repeated, map) joined with the Go facts from go-json.json
// (JSON names, pointer vs value, omitempty, inline, hand-written JSON forms).
// Both files come from tools/k8s-protobuf-gen; plans are built on first use
// and cached, so the protobufjs Root is parsed once per process.
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

/** How Go renders a message as JSON (see tools/k8s-protobuf-gen/overlay). */
export type GoForm =
  | 'struct'
  | 'slice'
  | 'time'
  | 'microTime'
  | 'duration'
  | 'quantity'
  | 'intOrString'
  | 'rawJson'
  | 'groupVersion'
  | 'unknown'
  | 'schemaOrBool'
  | 'schemaOrArray'
  | 'schemaOrStringArray';

/** Protobuf wire types. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

export interface FieldPlan {
  readonly number: number;
  readonly protoName: string;
  /** JSON key; '' for an inline (embedded) struct. */
  readonly jsonName: string;
  readonly omitEmpty: boolean;
  /** Go pointer: absent means nil rather than the zero value. */
  readonly pointer: boolean;
  readonly inline: boolean;
  readonly repeated: boolean;
  readonly map: boolean;
  /** Map key scalar type (always string in Kubernetes). */
  readonly keyType: string | undefined;
  /** Scalar type name ('string', 'int64', ...) or undefined for messages. */
  readonly scalar: string | undefined;
  /** Full message name (no leading dot) for message-typed fields and map values. */
  readonly messageName: string | undefined;
  /** Wire type of one element (maps and messages: length-delimited). */
  readonly wireType: number;
  /** Precomputed tag varint for the encoder. */
  readonly tag: number;
}

export interface MessagePlan {
  readonly name: string;
  readonly go: GoForm;
  /** Fields in Go declaration order: the order encoding/json writes keys. */
  readonly fields: readonly FieldPlan[];
  /** Fields by ascending number: the order Go's protobuf marshaller writes. */
  readonly wireOrder: readonly FieldPlan[];
  /** Index into `fields` by field number (sparse). */
  readonly indexByNumber: readonly (number | undefined)[];
}

interface GoMessage {
  go: GoForm;
  fields?: [number, string, number][];
}

interface GoOverlay {
  kinds: Record<string, Record<string, string>>;
  messages: Record<string, GoMessage>;
}

const FLAG_OMIT_EMPTY = 1;
const FLAG_POINTER = 2;
const FLAG_INLINE = 4;

function readGenerated<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../generated/${file}`, import.meta.url), 'utf8')) as T;
}

let root: protobuf.Root | undefined;
let overlay: GoOverlay | undefined;
const plans = new Map<string, MessagePlan>();

function load(): { root: protobuf.Root; overlay: GoOverlay } {
  if (!root || !overlay) {
    root = protobuf.Root.fromJSON(readGenerated<protobuf.INamespace>('descriptor.json'));
    overlay = readGenerated<GoOverlay>('go-json.json');
  }
  return { root, overlay };
}

function wireTypeOf(scalar: string | undefined): number {
  switch (scalar) {
    case 'double':
    case 'fixed64':
    case 'sfixed64':
      return WIRE_FIXED64;
    case 'float':
    case 'fixed32':
    case 'sfixed32':
      return WIRE_FIXED32;
    case 'string':
    case 'bytes':
    case undefined:
      return WIRE_BYTES;
    default:
      return WIRE_VARINT;
  }
}

/** Returns the plan for a full message name, or undefined if there is none. */
export function messagePlan(name: string): MessagePlan | undefined {
  const cached = plans.get(name);
  if (cached) return cached;
  const { root: r, overlay: o } = load();
  const goMessage = o.messages[name];
  let type: protobuf.Type;
  try {
    type = r.lookupType(name);
  } catch {
    return undefined;
  }
  if (!goMessage) return undefined;

  const goFields = new Map<number, [string, number]>();
  for (const [num, jsonName, flags] of goMessage.fields ?? []) goFields.set(num, [jsonName, flags]);

  const byProtoNumber = new Map<number, FieldPlan>();
  for (const field of type.fieldsArray) {
    field.resolve();
    const isMap = field instanceof protobuf.MapField;
    const messageName =
      field.resolvedType instanceof protobuf.Type
        ? field.resolvedType.fullName.slice(1)
        : undefined;
    const scalar = messageName ? undefined : field.type;
    const [jsonName, flags] = goFields.get(field.id) ?? [field.name, 0];
    const wireType = isMap ? WIRE_BYTES : wireTypeOf(scalar);
    byProtoNumber.set(field.id, {
      number: field.id,
      protoName: field.name,
      jsonName,
      omitEmpty: (flags & FLAG_OMIT_EMPTY) !== 0,
      pointer: (flags & FLAG_POINTER) !== 0,
      inline: (flags & FLAG_INLINE) !== 0,
      repeated: field.repeated,
      map: isMap,
      keyType: isMap ? (field as protobuf.MapField).keyType : undefined,
      scalar,
      messageName,
      wireType,
      tag: ((field.id << 3) | wireType) >>> 0,
    });
  }

  // Struct fields follow Go's declaration order; messages with a hand-written
  // JSON form have no Go field list, so they keep the descriptor's order.
  const fields: FieldPlan[] = [];
  if (goMessage.go === 'struct') {
    for (const [num] of goMessage.fields ?? []) {
      const f = byProtoNumber.get(num);
      if (f) fields.push(f);
    }
  } else {
    fields.push(...byProtoNumber.values());
  }
  const wireOrder = [...fields].sort((a, b) => a.number - b.number);
  const indexByNumber: (number | undefined)[] = [];
  fields.forEach((f, i) => {
    indexByNumber[f.number] = i;
  });

  const plan: MessagePlan = { name, go: goMessage.go, fields, wireOrder, indexByNumber };
  plans.set(name, plan);
  return plan;
}

/** Same as messagePlan, for names the schema itself produced. */
export function requirePlan(name: string): MessagePlan {
  const plan = messagePlan(name);
  if (!plan) throw new Error(`k8s-protobuf: no plan for message ${name}`);
  return plan;
}

// Kinds every group version registers from meta/v1 (Go's
// metav1.AddToGroupVersion), so they resolve under any built-in apiVersion.
const META_V1 = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const META_KINDS: Readonly<Record<string, string>> = {
  Status: `${META_V1}.Status`,
  WatchEvent: `${META_V1}.WatchEvent`,
  DeleteOptions: `${META_V1}.DeleteOptions`,
  ListOptions: `${META_V1}.ListOptions`,
  GetOptions: `${META_V1}.GetOptions`,
  CreateOptions: `${META_V1}.CreateOptions`,
  UpdateOptions: `${META_V1}.UpdateOptions`,
  PatchOptions: `${META_V1}.PatchOptions`,
};

/** The full protobuf message name for an apiVersion and kind, if any. */
export function messageNameForKind(apiVersion: string, kind: string): string | undefined {
  const { overlay: o } = load();
  const kinds = o.kinds[apiVersion];
  // Only group versions Kubernetes serves: a custom resource may well be
  // called Status, and it has no protobuf form.
  if (!kinds) return undefined;
  return kinds[kind] ?? META_KINDS[kind];
}
