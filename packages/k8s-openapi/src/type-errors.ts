import { isSchema, type Schema } from './schema.js';
import type { SchemaWalker } from './schema-walker.js';

/** A value whose JSON type is not one its schema allows. */
export interface FieldTypeError {
  /** Same format as unknown-field paths: "spec.replicas", "spec.containers[0].ports[1].containerPort". */
  path: string;
  /** Allowed JSON types, e.g. ["integer"] or ["integer", "string"]. */
  expected: readonly string[];
  /** JSON type found: "string", "integer", "number", "boolean", "array" or "object". */
  actual: string;
  /**
   * The mismatch as Go's decoder words it for the typed struct: "json: cannot unmarshal
   * string into Go struct field LabelSelector.spec.selector.matchExpressions of type
   * []v1.LabelSelectorRequirement".
   */
  goMessage: string;
}

const MAX_REPORTED = 100;

/**
 * Basic JSON type checks of `value` against a schema: the checks Go's
 * decoder makes when a built-in object is decoded into its typed struct.
 * null is always accepted (it decodes to the zero value). Values are not
 * checked any further (formats, enums, bounds belong to validation).
 */
export function findTypeErrors(
  walker: SchemaWalker,
  schema: Schema | string,
  value: unknown,
): FieldTypeError[] {
  const found: FieldTypeError[] = [];
  const root = typeof schema === 'string' ? rootSchema(schema) : schema;
  visit(factsFor(walker), root, value, ROOT, found);
  return found;
}

/**
 * Where the walk is, as a chain to the root: paths are only spelled out for an error, so a
 * valid object (every write) costs no string building. `key` is a property name or an index.
 */
interface Position {
  parent: Position | undefined;
  key: string | number;
  /** The innermost Go struct holding this field. */
  struct: string;
}

const ROOT: Position = { parent: undefined, key: '', struct: '' };

/** What the walk needs of one schema node, worked out once per node (writes are hot). */
interface SchemaFacts {
  expected: readonly string[] | undefined;
  items: Schema | undefined;
  declared: Readonly<Record<string, Schema>> | undefined;
  additional: Schema | undefined;
  /** The Go struct name for fields below this node, when it is a named definition. */
  struct: string | undefined;
}

/** A walker plus the facts of each schema node it has met (kept per walker, for every call). */
class FactsCache {
  private readonly memo = new WeakMap<Schema, SchemaFacts | null>();

  constructor(readonly walker: SchemaWalker) {}

  of(schema: Schema): SchemaFacts | undefined {
    let facts = this.memo.get(schema);
    if (facts === undefined) {
      facts = computeFacts(this.walker, schema) ?? null;
      this.memo.set(schema, facts);
    }
    return facts ?? undefined;
  }
}

const caches = new WeakMap<SchemaWalker, FactsCache>();
const roots = new Map<string, Schema>();

function factsFor(walker: SchemaWalker): FactsCache {
  let cache = caches.get(walker);
  if (!cache) caches.set(walker, (cache = new FactsCache(walker)));
  return cache;
}

function rootSchema(definition: string): Schema {
  let root = roots.get(definition);
  if (!root) roots.set(definition, (root = { $ref: definition }));
  return root;
}

function computeFacts(walker: SchemaWalker, schema: Schema): SchemaFacts | undefined {
  const named = walker.resolveNamed(schema);
  if (named === undefined) return undefined;
  // Quantity and IntOrString are "string" in v2 but accept numbers; their v3
  // form (oneOf) says what they really take.
  const resolved =
    (named.name !== undefined ? walker.v3Overrides[named.name] : undefined) ?? named.schema;
  return {
    expected: allowedTypes(resolved),
    items: resolved.items,
    declared: walker.properties(resolved),
    additional: isSchema(resolved.additionalProperties) ? resolved.additionalProperties : undefined,
    struct: named.name !== undefined ? shortName(named.name) : undefined,
  };
}

function visit(
  facts: FactsCache,
  schema: Schema,
  value: unknown,
  at: Position,
  found: FieldTypeError[],
): void {
  if (value === null || value === undefined || found.length >= MAX_REPORTED) return;
  const node = facts.of(schema);
  if (node === undefined) return;
  const { expected } = node;
  const actual = jsonType(value);
  if (expected !== undefined && !expected.some((t) => accepts(t, actual))) {
    found.push(typeError(facts.walker, schema, value, at, expected, actual));
    return;
  }
  if (Array.isArray(value)) {
    const items = node.items;
    if (items !== undefined)
      value.forEach((element: unknown, i) =>
        visit(facts, items, element, { parent: at, key: i, struct: at.struct }, found),
      );
    return;
  }
  if (actual !== 'object') return;
  const struct = node.struct ?? at.struct;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childSchema = node.declared?.[key] ?? node.additional;
    if (childSchema !== undefined)
      visit(facts, childSchema, child, { parent: at, key, struct }, found);
  }
}

function typeError(
  walker: SchemaWalker,
  schema: Schema,
  value: unknown,
  at: Position,
  expected: readonly string[],
  actual: string,
): FieldTypeError {
  const keys: Array<string | number> = [];
  for (let p: Position | undefined = at; p?.parent; p = p.parent) keys.unshift(p.key);
  let path = '';
  for (const key of keys)
    path += typeof key === 'number' ? `[${key}]` : path === '' ? key : `.${key}`;
  // Go names the field by its JSON path without indices.
  const goPath = keys.filter((k) => typeof k === 'string').join('.');
  const goValue = actual === 'number' ? `number ${String(value)}` : GO_JSON_NAMES[actual];
  const into = goPath === '' ? 'Go value' : `Go struct field ${at.struct}.${goPath}`;
  const goMessage = `json: cannot unmarshal ${goValue} into ${into} of type ${goTypeOf(walker, schema)}`;
  return { path, expected, actual, goMessage };
}

const GO_JSON_NAMES: Record<string, string> = {
  string: 'string',
  integer: 'number',
  boolean: 'bool',
  array: 'array',
  object: 'object',
};

/** "io.k8s.api.core.v1.Container" -> "Container". */
function shortName(definition: string): string {
  return definition.slice(definition.lastIndexOf('.') + 1);
}

/** The Go type a schema stands for, as Go prints it: "[]v1.Container", "map[string]string", "int32". */
function goTypeOf(walker: SchemaWalker, schema: Schema): string {
  const named = walker.resolveNamed(schema);
  if (named?.name !== undefined) {
    const parts = named.name.split('.');
    return parts.slice(-2).join('.');
  }
  const s = named?.schema ?? schema;
  if (s.type === 'array') return `[]${s.items ? goTypeOf(walker, s.items) : 'interface {}'}`;
  if (s.type === 'object')
    return isSchema(s.additionalProperties)
      ? `map[string]${goTypeOf(walker, s.additionalProperties)}`
      : 'map[string]interface {}';
  if (s.type === 'integer') return s.format === 'int32' ? 'int32' : 'int64';
  if (s.type === 'number') return 'float64';
  if (s.type === 'boolean') return 'bool';
  return typeof s.type === 'string' ? s.type : 'interface {}';
}

function allowedTypes(schema: Schema): string[] | undefined {
  if (schema['x-kubernetes-int-or-string'] === true || schema.format === 'int-or-string')
    return ['integer', 'string'];
  const union = schema.oneOf ?? schema.anyOf;
  if (union !== undefined) {
    const types = union.map((s) => s.type).filter((t): t is string => typeof t === 'string');
    return types.length === union.length && types.length > 0 ? types : undefined;
  }
  return typeof schema.type === 'string' ? [schema.type] : undefined;
}

function accepts(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
