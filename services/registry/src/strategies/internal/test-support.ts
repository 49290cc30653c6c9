// Helpers for the strategy tests: run the create/update pipeline the store runs and
// compare field errors by path and type.
import assert from 'node:assert/strict';
import { BUILTIN_RESOURCES, type KubeObject, type ResourceDefinition } from '@splitplane/scheme';
import type { FieldError } from '@splitplane/apimachinery';
import { strategyFor } from '../registry.js';

export function defOf(kind: string, group?: string): ResourceDefinition {
  const def = BUILTIN_RESOURCES.find(
    (d) => d.kind === kind && (group === undefined || d.group === group),
  );
  if (!def) throw new Error(`no built-in ${kind}`);
  return def;
}

/** What the store does on create: system fields, defaults, prepare, validate. */
export function runCreate(kind: string, obj: KubeObject): { obj: KubeObject; errs: FieldError[] } {
  const def = defOf(kind);
  const s = strategyFor(def);
  const o = structuredClone(obj);
  o.metadata ??= {};
  if (def.namespaced) o.metadata.namespace ??= 'default';
  o.metadata.uid ??= '6b1e6c0e-1f0b-4a43-9d6a-3f1c2a9a0f00';
  o.metadata.creationTimestamp ??= '2026-01-01T00:00:00Z';
  s.applyDefaults(o);
  s.prepareForCreate(o);
  const errs = s.validate(o);
  if (errs.length === 0) s.canonicalize?.(o);
  return { obj: o, errs };
}

/** What the store does on update of the main resource. */
export function runUpdate(
  kind: string,
  obj: KubeObject,
  old: KubeObject,
): { obj: KubeObject; errs: FieldError[] } {
  const s = strategyFor(defOf(kind));
  const o = structuredClone(obj);
  o.metadata ??= {};
  // The store's BeforeUpdate part: system fields come from the stored object.
  const m = o.metadata;
  m.resourceVersion ??= old.metadata?.resourceVersion ?? '5';
  m.name ??= old.metadata?.name;
  if (old.metadata?.namespace !== undefined) m.namespace ??= old.metadata.namespace;
  m.uid ??= old.metadata?.uid;
  m.creationTimestamp = old.metadata?.creationTimestamp ?? null;
  s.applyDefaults(o);
  s.prepareForUpdate(o, old);
  return { obj: o, errs: s.validateUpdate(o, old) };
}

/** A created, valid object as stored (with a resourceVersion), for update tests. */
export function stored(kind: string, obj: KubeObject): KubeObject {
  const { obj: o, errs } = runCreate(kind, obj);
  assert.deepEqual(errs.map(String), [], `fixture ${kind} must be valid`);
  o.metadata!.resourceVersion = '5';
  return o;
}

export interface Expected {
  field: string;
  type: FieldError['type'];
  detail?: string | RegExp;
}

function matches(e: FieldError, x: Expected): boolean {
  if (e.field !== x.field || e.type !== x.type) return false;
  if (x.detail === undefined) return true;
  return typeof x.detail === 'string' ? e.detail === x.detail : x.detail.test(e.detail);
}

/** The errors are exactly the expected ones (order-insensitive). */
export function assertErrors(errs: FieldError[], expected: Expected[], label = ''): void {
  const got = errs.map((e) => `${e.field} ${e.type}: ${e.detail}`);
  for (const x of expected) {
    assert.ok(
      errs.some((e) => matches(e, x)),
      `${label}: expected ${x.field} ${x.type} ${x.detail ?? ''} in\n  ${got.join('\n  ')}`,
    );
  }
  const extra = errs.filter((e) => !expected.some((x) => matches(e, x)));
  assert.deepEqual(extra.map(String), [], `${label}: unexpected errors`);
}

export function meta(name: string, extra: Record<string, unknown> = {}): KubeObject['metadata'] {
  return { name, ...extra };
}

/** A minimal valid pod spec. */
export function podSpec(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra };
}
