// Builds a Strategy from the few hooks a kind needs; the rest (status handling,
// generation bookkeeping, metadata validation) is what kube's generic registry and
// per-kind strategies do for nearly every resource.
import type { KubeObject, ResourceDefinition } from '@splitplane/scheme';
import type { FieldError } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { type JsonObject, clone, deepEqual } from './json.js';
import { NAME_DNS_SUBDOMAIN, type NameRule, validateMeta, validateMetaUpdate } from './meta.js';

export interface KindHooks {
  /** Name rule for metadata.name (default DNS-1123 subdomain). */
  nameRule?: NameRule;
  /**
   * Whether metadata.generation is tracked: 'spec' bumps it when spec changes,
   * 'spec+annotations' also on annotation changes (Deployment), 'content' on anything
   * but metadata and status changing (custom resources with a status subresource), 'all'
   * on anything but metadata (custom resources without one).
   */
  generation?: 'spec' | 'spec+annotations' | 'content' | 'all';
  defaults?(obj: JsonObject): void;
  prepareForCreate?(obj: JsonObject): void;
  prepareForUpdate?(obj: JsonObject, old: JsonObject): void;
  prepareForStatusUpdate?(obj: JsonObject, old: JsonObject): void;
  /** Kind-specific validation of a whole object (metadata rules are added by the base). */
  validate?(obj: JsonObject): FieldError[];
  /** Extra checks on update (immutability); validate(obj) also runs on update unless replaced. */
  validateUpdate?(obj: JsonObject, old: JsonObject): FieldError[];
  /** Replace validate(obj) on update (kube kinds whose update validation differs). */
  validateForUpdate?(obj: JsonObject, old: JsonObject): FieldError[];
  validateStatus?(obj: JsonObject, old: JsonObject): FieldError[];
  warnings?(obj: JsonObject): string[];
  canonicalize?(obj: JsonObject): void;
  defaultGracePeriodSeconds?(obj: JsonObject): number | undefined;
}

export function buildStrategy(def: ResourceDefinition, hooks: KindHooks = {}): Strategy {
  const rule = hooks.nameRule ?? NAME_DNS_SUBDOMAIN;
  const hasStatus = def.subresources.status === true;
  const asJson = (o: KubeObject) => o as JsonObject;

  const strategy: Strategy = {
    applyDefaults(obj) {
      hooks.defaults?.(asJson(obj));
    },
    prepareForCreate(obj) {
      if (hasStatus) delete obj['status'];
      if (hooks.generation) (obj.metadata ??= {}).generation = 1;
      hooks.prepareForCreate?.(asJson(obj));
    },
    prepareForUpdate(obj, old) {
      if (hasStatus) {
        if (old['status'] === undefined) delete obj['status'];
        else obj['status'] = clone(old['status']);
      }
      if (hooks.generation) {
        const meta = (obj.metadata ??= {});
        const oldGen = old.metadata?.generation ?? 0;
        meta.generation = changedForGeneration(hooks.generation, obj, old) ? oldGen + 1 : oldGen;
      }
      hooks.prepareForUpdate?.(asJson(obj), asJson(old));
    },
    prepareForStatusUpdate(obj, old) {
      resetForStatus(obj, old);
      hooks.prepareForStatusUpdate?.(asJson(obj), asJson(old));
    },
    validate(obj) {
      return [...validateMeta(obj, def.namespaced, rule), ...(hooks.validate?.(asJson(obj)) ?? [])];
    },
    validateUpdate(obj, old) {
      // Names cannot change, so (as kube's Validate*Update) only the update rules of metadata run.
      const errs = [...validateMetaUpdate(obj, old)];
      if (hooks.validateForUpdate) errs.push(...hooks.validateForUpdate(asJson(obj), asJson(old)));
      else if (hooks.validate) errs.push(...hooks.validate(asJson(obj)));
      errs.push(...(hooks.validateUpdate?.(asJson(obj), asJson(old)) ?? []));
      return errs;
    },
    validateStatusUpdate(obj, old) {
      return [
        ...validateMetaUpdate(obj, old),
        ...(hooks.validateStatus?.(asJson(obj), asJson(old)) ?? []),
      ];
    },
  };
  if (hooks.warnings) strategy.warningsOnCreate = (obj) => hooks.warnings!(asJson(obj));
  if (hooks.canonicalize) strategy.canonicalize = (obj) => hooks.canonicalize!(asJson(obj));
  if (hooks.defaultGracePeriodSeconds) {
    strategy.defaultGracePeriodSeconds = (obj) => hooks.defaultGracePeriodSeconds!(asJson(obj));
  }
  return strategy;
}

function changedForGeneration(
  mode: NonNullable<KindHooks['generation']>,
  obj: KubeObject,
  old: KubeObject,
): boolean {
  if (mode === 'content' || mode === 'all') {
    const strip = (o: KubeObject) => {
      const { metadata: _m, ...rest } = o;
      if (mode === 'content') delete rest['status'];
      return rest;
    };
    return !deepEqual(strip(obj), strip(old));
  }
  if (!deepEqual(obj['spec'], old['spec'])) return true;
  return (
    mode === 'spec+annotations' &&
    !deepEqual(obj.metadata?.annotations ?? {}, old.metadata?.annotations ?? {})
  );
}

/**
 * A status write may only change status: everything else comes from the stored object,
 * and metadata fields are reset as metav1.ResetObjectMetaForStatus does.
 */
export function resetForStatus(obj: KubeObject, old: KubeObject): void {
  for (const k of Object.keys(obj)) {
    if (k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
  }
  for (const [k, v] of Object.entries(old)) {
    if (k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind') obj[k] = clone(v);
  }
  const meta = (obj.metadata ??= {});
  const oldMeta = old.metadata ?? {};
  for (const k of [
    'deletionTimestamp',
    'generation',
    'labels',
    'annotations',
    'finalizers',
    'ownerReferences',
  ] as const) {
    if (oldMeta[k] === undefined) delete meta[k];
    else meta[k] = clone(oldMeta[k]) as never;
  }
}
