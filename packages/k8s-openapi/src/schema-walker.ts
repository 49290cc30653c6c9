import { refName } from './refs.js';
import { isSchema, type Definitions, type Schema } from './schema.js';

/** Strategic-merge-patch and structured-merge metadata of one field. */
export interface PatchMeta {
  /** e.g. "merge", "retainKeys", "merge,retainKeys" (x-kubernetes-patch-strategy). */
  patchStrategy?: string;
  /** Key that identifies list elements for strategy "merge" (x-kubernetes-patch-merge-key). */
  patchMergeKey?: string;
  /** "atomic" | "set" | "map" (x-kubernetes-list-type). */
  listType?: string;
  /** Keys identifying elements of a listType "map" list (x-kubernetes-list-map-keys). */
  listMapKeys?: readonly string[];
  /** "atomic" | "granular" (x-kubernetes-map-type), from the field or its type. */
  mapType?: string;
}

/** A path into an object: "spec.template.spec.containers[0].ports" or its segments. */
export type FieldPath = string | readonly (string | number)[];

/** A schema after following $refs, with the definition name it came from, if any. */
export interface Resolved {
  schema: Schema;
  name?: string;
}

/**
 * Navigates a set of definitions: follows references, finds the schema of a
 * field and reads patch metadata. Works on the built-in v2 definitions and on
 * v3 / CRD structural schemas (refs wrapped in allOf, inline properties).
 */
export class SchemaWalker {
  constructor(
    readonly definitions: Definitions,
    /** v3 forms of definitions that differ from the v2 one; used for type checks. */
    readonly v3Overrides: Definitions = {},
  ) {}

  /** The schema behind a definition name, a $ref string, or a schema that is a reference. */
  resolve(schemaOrRef: Schema | string): Schema | undefined {
    return this.resolveNamed(schemaOrRef)?.schema;
  }

  resolveNamed(schemaOrRef: Schema | string): Resolved | undefined {
    let current: Schema | undefined;
    let name: string | undefined;
    if (typeof schemaOrRef === 'string') {
      name = refName(schemaOrRef);
      current = name === undefined ? undefined : this.definitions[name];
    } else {
      current = schemaOrRef;
    }
    // Bounded: a definition that refers to itself is broken, not infinite.
    for (let hops = 0; current !== undefined && hops < 64; hops++) {
      const target = referenceOf(current);
      if (target === undefined)
        return name === undefined ? { schema: current } : { schema: current, name };
      name = refName(target);
      current = name === undefined ? undefined : this.definitions[name];
    }
    return undefined;
  }

  /**
   * Declared properties of an object schema, including those of allOf members
   * (CRD schemas and v3 documents may spread them). Undefined when the schema
   * declares none.
   */
  properties(schema: Schema): Readonly<Record<string, Schema>> | undefined {
    const resolved = this.resolve(schema);
    if (resolved === undefined) return undefined;
    const parts: Readonly<Record<string, Schema>>[] = [];
    if (resolved.properties !== undefined) parts.push(resolved.properties);
    for (const member of resolved.allOf ?? []) {
      const props = this.properties(member);
      if (props !== undefined) parts.push(props);
    }
    if (parts.length === 0) return undefined;
    if (parts.length === 1) return parts[0];
    return Object.assign({}, ...parts) as Record<string, Schema>;
  }

  /** The (unresolved) schema of one field of an object schema, or of map values. */
  fieldSchema(schema: Schema, field: string): Schema | undefined {
    const declared = this.properties(schema)?.[field];
    if (declared !== undefined) return declared;
    const additional = this.resolve(schema)?.additionalProperties;
    return isSchema(additional) ? additional : undefined;
  }

  /** The element schema of an array schema. */
  itemSchema(schema: Schema): Schema | undefined {
    return this.resolve(schema)?.items;
  }

  /**
   * Patch metadata of `fieldName` in `schema`. The list extensions sit on the
   * property; x-kubernetes-map-type may also sit on the referenced type
   * (structs marked atomic), so the type's value is the fallback.
   */
  patchMetaFor(schema: Schema | string, fieldName: string): PatchMeta | undefined {
    const parent = this.resolve(schema);
    if (parent === undefined) return undefined;
    const field = this.fieldSchema(parent, fieldName);
    return field === undefined ? undefined : this.patchMetaOf(field);
  }

  /** Patch metadata carried by a field schema itself (and its referenced type). */
  patchMetaOf(field: Schema): PatchMeta {
    const meta: PatchMeta = {};
    const target = this.resolve(field);
    const mapType =
      stringExt(field, 'x-kubernetes-map-type') ??
      (target && stringExt(target, 'x-kubernetes-map-type'));
    const patchStrategy = stringExt(field, 'x-kubernetes-patch-strategy');
    const patchMergeKey = stringExt(field, 'x-kubernetes-patch-merge-key');
    const listType =
      stringExt(field, 'x-kubernetes-list-type') ??
      (target && stringExt(target, 'x-kubernetes-list-type'));
    const keys = field['x-kubernetes-list-map-keys'] ?? target?.['x-kubernetes-list-map-keys'];
    if (patchStrategy !== undefined) meta.patchStrategy = patchStrategy;
    if (patchMergeKey !== undefined) meta.patchMergeKey = patchMergeKey;
    if (listType !== undefined) meta.listType = listType;
    if (Array.isArray(keys))
      meta.listMapKeys = keys.filter((k): k is string => typeof k === 'string');
    if (mapType !== undefined) meta.mapType = mapType;
    return meta;
  }

  /** The schema found by walking `path` from a definition (or schema); list indices step into items. */
  schemaAt(root: Schema | string, path: FieldPath): Schema | undefined {
    let current: Schema | undefined = typeof root === 'string' ? this.resolve(root) : root;
    for (const segment of parseFieldPath(path)) {
      if (current === undefined) return undefined;
      current =
        typeof segment === 'number' ? this.itemSchema(current) : this.fieldSchema(current, segment);
    }
    return current;
  }

  /**
   * Patch metadata of the field at `path` below a definition, e.g.
   * ("io.k8s.api.core.v1.PodSpec", "containers") -> merge on "name".
   */
  patchMetaAt(root: Schema | string, path: FieldPath): PatchMeta | undefined {
    const field = this.schemaAt(root, path);
    return field === undefined ? undefined : this.patchMetaOf(field);
  }
}

/** The $ref a schema stands for: a bare $ref, or the v3 wrapper allOf: [{$ref}]. */
function referenceOf(schema: Schema): string | undefined {
  if (typeof schema.$ref === 'string') return schema.$ref;
  const all = schema.allOf;
  if (all?.length === 1 && schema.properties === undefined && schema.type === undefined) {
    const only = all[0];
    if (only !== undefined && typeof only.$ref === 'string') return only.$ref;
  }
  return undefined;
}

function stringExt(schema: Schema, key: string): string | undefined {
  const value = schema[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Splits "a.b[2].c" into ["a", "b", 2, "c"]. A leading "." (kubectl and
 * JSONPath style) is ignored.
 */
export function parseFieldPath(path: FieldPath): (string | number)[] {
  if (typeof path !== 'string') return [...path];
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    if (part === '') continue;
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (match === null) {
      out.push(part);
      continue;
    }
    if (match[1] !== undefined && match[1] !== '') out.push(match[1]);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}
