// Where strategic merge patch learns, field by field, how lists merge. Kube reads Go struct
// tags; we read the OpenAPI extensions x-kubernetes-patch-strategy / -merge-key.

export interface PatchMeta {
  /** "merge", "replace", "retainKeys" or "merge,retainKeys". */
  patchStrategy?: string;
  /** The key identifying items of a merged list of objects ("name", "containerPort"). */
  patchMergeKey?: string;
}

/**
 * Describes one object type. Both methods answer for field `key` of that object: its patch
 * metadata, and a lookup describing what to descend into (the value for objects and maps,
 * each item for lists). Unknown fields answer empty metadata and an empty lookup.
 */
export interface PatchMetaLookup {
  readonly name: string;
  forStruct(key: string): [PatchMetaLookup, PatchMeta];
  forSlice(key: string): [PatchMetaLookup, PatchMeta];
}

/** No metadata anywhere: every list replaces, every map merges. */
export const EMPTY_PATCH_META: PatchMetaLookup = {
  name: '',
  forStruct: () => [EMPTY_PATCH_META, {}],
  forSlice: () => [EMPTY_PATCH_META, {}],
};

/** Metadata of the field at `path` (field names from the root), descending through lists' items. */
export function patchMetaAt(
  root: PatchMetaLookup,
  path: readonly string[],
  listFields: ReadonlySet<string> = new Set(),
): PatchMeta {
  let lookup = root;
  let meta: PatchMeta = {};
  for (const field of path) {
    [lookup, meta] = listFields.has(field) ? lookup.forSlice(field) : lookup.forStruct(field);
  }
  return meta;
}

/** An OpenAPI schema node, as v2 definitions (and v3 components) spell them. */
export interface SchemaNode {
  $ref?: string;
  allOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  [key: string]: unknown;
}

export type SchemaDefinitions = Readonly<Record<string, SchemaNode>>;

/**
 * A lookup over OpenAPI definitions, starting at `rootDefinitionName`
 * (e.g. "io.k8s.api.apps.v1.Deployment"). `$ref`s may be "#/definitions/<name>" (v2) or
 * "#/components/schemas/<name>" (v3).
 */
export function schemaPatchMeta(
  definitions: SchemaDefinitions,
  rootDefinitionName: string,
): PatchMetaLookup {
  return new SchemaLookup(definitions, definitions[rootDefinitionName], rootDefinitionName);
}

class SchemaLookup implements PatchMetaLookup {
  constructor(
    private readonly defs: SchemaDefinitions,
    private readonly node: SchemaNode | undefined,
    readonly name: string,
  ) {}

  forStruct(key: string): [PatchMetaLookup, PatchMeta] {
    const field = this.field(key);
    return [
      new SchemaLookup(this.defs, field, refName(field) ?? `${this.name}.${key}`),
      metaOf(field, this.defs),
    ];
  }

  forSlice(key: string): [PatchMetaLookup, PatchMeta] {
    const field = this.field(key);
    const items = resolve(field, this.defs)?.items;
    return [
      new SchemaLookup(this.defs, items, refName(items) ?? `${this.name}.${key}`),
      metaOf(field, this.defs),
    ];
  }

  /** The schema of property `key`, or of map values when the node is a map. */
  private field(key: string): SchemaNode | undefined {
    const node = resolve(this.node, this.defs);
    if (!node) return undefined;
    const prop = node.properties?.[key];
    if (prop) return prop;
    return typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
  }
}

/** Follows $ref and single-element allOf wrappers (how v3 attaches descriptions to refs). */
function resolve(node: SchemaNode | undefined, defs: SchemaDefinitions): SchemaNode | undefined {
  let cur = node;
  for (let depth = 0; cur && depth < 32; depth++) {
    if (cur.$ref) cur = defs[cur.$ref.slice(cur.$ref.lastIndexOf('/') + 1)];
    else if (cur.allOf?.length === 1 && !cur.properties) cur = cur.allOf[0];
    else return cur;
  }
  return cur;
}

/** Extensions sit on the property itself; fall back to the resolved schema. */
function metaOf(field: SchemaNode | undefined, defs: SchemaDefinitions): PatchMeta {
  const out: PatchMeta = {};
  for (const node of [field, resolve(field, defs)]) {
    if (!node) continue;
    out.patchStrategy ??= node['x-kubernetes-patch-strategy'];
    out.patchMergeKey ??= node['x-kubernetes-patch-merge-key'];
  }
  if (out.patchStrategy === undefined) delete out.patchStrategy;
  if (out.patchMergeKey === undefined) delete out.patchMergeKey;
  return out;
}

function refName(node: SchemaNode | undefined): string | undefined {
  const ref = node?.$ref ?? (node?.allOf?.length === 1 ? node.allOf[0]?.$ref : undefined);
  return ref ? ref.slice(ref.lastIndexOf('/') + 1) : undefined;
}
