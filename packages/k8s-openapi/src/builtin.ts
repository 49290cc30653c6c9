import { definitions, v3Definitions } from './definitions.js';
import type { Schema } from './schema.js';
import { SchemaWalker, type FieldPath, type PatchMeta } from './schema-walker.js';
import { findTypeErrors, type FieldTypeError } from './type-errors.js';
import { findUnknownFields } from './unknown-fields.js';

let walker: SchemaWalker | undefined;

/** The walker over the built-in definitions, created on first use. */
export function schemaWalker(): SchemaWalker {
  walker ??= new SchemaWalker(definitions(), v3Definitions());
  return walker;
}

/** Follows $refs (a definition name, a "#/definitions/..." ref or a schema). */
export function resolve(schemaOrRef: Schema | string): Schema | undefined {
  return schemaWalker().resolve(schemaOrRef);
}

/** Patch metadata of one property of a (built-in) schema or definition name. */
export function patchMetaFor(schema: Schema | string, fieldName: string): PatchMeta | undefined {
  return schemaWalker().patchMetaFor(schema, fieldName);
}

/**
 * Patch metadata of the field at `path` under a built-in definition, e.g.
 * mergeKeyAt("io.k8s.api.apps.v1.Deployment", "spec.template.spec.containers")
 * -> { patchStrategy: "merge", patchMergeKey: "name", listType: "map", ... }.
 */
export function mergeKeyAt(definitionName: string, path: FieldPath): PatchMeta | undefined {
  return schemaWalker().patchMetaAt(definitionName, path);
}

/** Paths of fields a built-in kind does not declare (for fieldValidation=Strict/Warn). */
export function unknownFields(definitionName: string, object: unknown): string[] {
  return findUnknownFields(schemaWalker(), definitionName, object);
}

/** Values whose JSON type the built-in kind's schema does not allow. */
export function typeErrors(definitionName: string, object: unknown): FieldTypeError[] {
  return findTypeErrors(schemaWalker(), definitionName, object);
}
