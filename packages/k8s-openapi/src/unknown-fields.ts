import { isSchema, type Schema } from './schema.js';
import type { SchemaWalker } from './schema-walker.js';

/**
 * kube-apiserver's strict decoder stops collecting after this many errors;
 * matching it keeps our messages the same size as kube's on garbage input.
 */
const MAX_REPORTED = 100;

/**
 * JSON paths of the fields in `value` that its schema does not declare, in
 * document order, formatted like kube's strict decoding errors
 * (`unknown field "spec.template.spec.containers[0].imagee"`): object keys
 * joined by ".", list elements as "[i]", map keys like field names.
 *
 * Open places, where anything goes: maps (additionalProperties), schemas
 * with x-kubernetes-preserve-unknown-fields, and object schemas that declare
 * no properties at all (RawExtension, FieldsV1, JSON).
 */
export function findUnknownFields(
  walker: SchemaWalker,
  schema: Schema | string,
  value: unknown,
): string[] {
  const found: string[] = [];
  const root = typeof schema === 'string' ? walker.resolve(schema) : schema;
  if (root !== undefined) visit(walker, root, value, '', found);
  return found;
}

function visit(
  walker: SchemaWalker,
  schema: Schema,
  value: unknown,
  path: string,
  found: string[],
): void {
  if (value === null || typeof value !== 'object' || found.length >= MAX_REPORTED) return;
  const resolved = walker.resolve(schema);
  if (resolved === undefined) return;

  if (Array.isArray(value)) {
    const items = resolved.items;
    if (items === undefined) return;
    value.forEach((element: unknown, i) => visit(walker, items, element, `${path}[${i}]`, found));
    return;
  }

  const preserve = resolved['x-kubernetes-preserve-unknown-fields'] === true;
  const declared = walker.properties(resolved);
  const additional = isSchema(resolved.additionalProperties)
    ? resolved.additionalProperties
    : undefined;
  const openMap = resolved.additionalProperties === true;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    const childSchema = declared?.[key] ?? additional;
    if (childSchema !== undefined) {
      visit(walker, childSchema, child, childPath, found);
    } else if (declared !== undefined && !preserve && !openMap) {
      found.push(childPath);
      if (found.length >= MAX_REPORTED) return;
    }
  }
}
