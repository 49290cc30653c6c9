import { refName, v3Ref } from './refs.js';
import { isSchema, type Schema } from './schema.js';

/**
 * Converts a swagger 2.0 schema to the OpenAPI 3.0 form kube-apiserver
 * serves: local refs point into #/components/schemas, and a $ref that has
 * sibling keywords (description, default, extensions) becomes
 * allOf: [{$ref}] with the siblings kept beside it, because 3.0 ignores
 * siblings of $ref. Everything else is unchanged.
 */
export function toV3Schema(schema: Schema): Schema {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    switch (key) {
      case 'properties':
        out[key] = mapValues(value as Record<string, Schema>, toV3Schema);
        break;
      case 'items':
      case 'not':
        out[key] = isSchema(value) ? toV3Schema(value) : value;
        break;
      case 'additionalProperties':
        out[key] = isSchema(value) ? toV3Schema(value) : value;
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[key] = (value as Schema[]).map(toV3Schema);
        break;
      case '$ref':
        out[key] = rewriteRef(value as string);
        break;
      default:
        out[key] = value;
    }
  }
  const ref = out.$ref;
  if (typeof ref === 'string' && Object.keys(out).length > 1) {
    delete out.$ref;
    const existing = Array.isArray(out.allOf) ? (out.allOf as Schema[]) : [];
    out.allOf = [{ $ref: ref }, ...existing];
  }
  return out as Schema;
}

function rewriteRef(ref: string): string {
  const name = refName(ref);
  return name === undefined ? ref : v3Ref(name);
}

function mapValues<T, U>(record: Record<string, T>, fn: (v: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [k, v] of Object.entries(record)) out[k] = fn(v);
  return out;
}
