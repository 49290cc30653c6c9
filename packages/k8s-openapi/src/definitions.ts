import { readFileSync } from 'node:fs';

import type { Definitions, GroupVersionKind, Schema } from './schema.js';

/** Shape of generated/definitions.json, written by tools/k8s-openapi-gen. */
interface GeneratedDocument {
  definitions: Definitions;
  /** Schemas whose OpenAPI v3 form differs from the v2 one (Quantity, IntOrString). */
  v3Definitions: Definitions;
}

// The JSON ships beside dist/ (package "files"), one level up from this module
// both in src/ and dist/.
const GENERATED_URL = new URL('../generated/definitions.json', import.meta.url);

let loaded: GeneratedDocument | undefined;
let byGVK: Map<string, string> | undefined;

// Parsed on first use only: about 1 MB of JSON that services not serving
// OpenAPI or validating built-ins never need.
function generated(): GeneratedDocument {
  if (loaded === undefined) {
    const parsed = JSON.parse(readFileSync(GENERATED_URL, 'utf8')) as GeneratedDocument;
    deepFreeze(parsed);
    loaded = parsed;
  }
  return loaded;
}

// Shared by every caller, so make accidental mutation fail loudly.
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/** The swagger 2.0 definitions of every built-in type, keyed by kube's name. */
export function definitions(): Definitions {
  return generated().definitions;
}

/**
 * Definitions whose OpenAPI v3 schema is not the mechanical conversion of the
 * v2 one. kube publishes Quantity and IntOrString as plain strings in v2 and
 * as oneOf unions in v3.
 */
export function v3Definitions(): Definitions {
  return generated().v3Definitions;
}

const gvkKey = (group: string, version: string, kind: string): string =>
  `${group}/${version}/${kind}`;

/**
 * The definition that serves a group/version/kind, found the way kubectl does
 * it: through the x-kubernetes-group-version-kind extension. Types shared by
 * all groups (DeleteOptions, WatchEvent) resolve for every group.
 */
export function definitionNameForGVK(
  group: string,
  version: string,
  kind: string,
): string | undefined {
  if (byGVK === undefined) {
    const index = new Map<string, string>();
    for (const [name, schema] of Object.entries(definitions())) {
      for (const gvk of schemaGVKs(schema))
        index.set(gvkKey(gvk.group, gvk.version, gvk.kind), name);
    }
    byGVK = index;
  }
  return byGVK.get(gvkKey(group, version, kind));
}

/** The group/version/kinds a definition declares; empty when it is not a kind. */
export function schemaGVKs(schema: Schema): readonly GroupVersionKind[] {
  return schema['x-kubernetes-group-version-kind'] ?? [];
}
