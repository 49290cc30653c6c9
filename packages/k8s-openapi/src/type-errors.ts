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
  const root: Schema | undefined = typeof schema === 'string' ? { $ref: schema } : schema;
  visit(walker, root, value, '', found, { struct: '', path: '' });
  return found;
}

/** Where Go's decoder is: the innermost struct type and the field path without indices. */
interface GoPosition {
  struct: string;
  path: string;
}

function visit(
  walker: SchemaWalker,
  schema: Schema,
  value: unknown,
  path: string,
  found: FieldTypeError[],
  go: GoPosition,
): void {
  if (value === null || value === undefined || found.length >= MAX_REPORTED) return;
  const named = walker.resolveNamed(schema);
  if (named === undefined) return;
  // Quantity and IntOrString are "string" in v2 but accept numbers; their v3
  // form (oneOf) says what they really take.
  const resolved =
    (named.name !== undefined ? walker.v3Overrides[named.name] : undefined) ?? named.schema;
  const expected = allowedTypes(resolved);
  const actual = jsonType(value);
  if (expected !== undefined && !expected.some((t) => accepts(t, actual))) {
    const goValue = actual === 'number' ? `number ${String(value)}` : GO_JSON_NAMES[actual];
    const into = go.path === '' ? 'Go value' : `Go struct field ${go.struct}.${go.path}`;
    const goMessage = `json: cannot unmarshal ${goValue} into ${into} of type ${goTypeOf(walker, schema)}`;
    found.push({ path, expected, actual, goMessage });
    return;
  }
  if (Array.isArray(value)) {
    const items = resolved.items;
    if (items !== undefined)
      value.forEach((element: unknown, i) =>
        visit(walker, items, element, `${path}[${i}]`, found, go),
      );
    return;
  }
  if (actual !== 'object') return;
  const declared = walker.properties(resolved);
  const additional = isSchema(resolved.additionalProperties)
    ? resolved.additionalProperties
    : undefined;
  const struct = named.name !== undefined ? shortName(named.name) : go.struct;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childSchema = declared?.[key] ?? additional;
    if (childSchema === undefined) continue;
    const childGo = { struct, path: go.path === '' ? key : `${go.path}.${key}` };
    visit(walker, childSchema, child, path === '' ? key : `${path}.${key}`, found, childGo);
  }
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
