// The generic ObjectMeta validation kube runs for every object
// (k8s.io/apimachinery/pkg/api/validation/objectmeta.go), with its messages.
import { type FieldErrorList, forbidden, invalid, required, tooLong } from '../errors/index.js';
import { child } from './field-path.js';
import { validateLabels } from './labels.js';
import type { NameValidator } from './name-validators.js';
import { validateNamespaceName } from './name-validators.js';
import { isQualifiedName } from './names.js';

export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;
export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';

const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

/** Structural view of metadata; all optional because it comes from untrusted JSON. */
export interface ObjectMetaLike {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string | null;
  deletionGracePeriodSeconds?: number | null;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  finalizers?: string[] | null;
  ownerReferences?: OwnerReferenceLike[] | null;
  [key: string]: unknown;
}

export interface OwnerReferenceLike {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean | null;
  blockOwnerDeletion?: boolean | null;
}

export interface ObjectMetaValidationOptions {
  namespaced: boolean;
  nameValidator: NameValidator;
}

export function validateObjectMeta(
  meta: ObjectMetaLike | null | undefined,
  opts: ObjectMetaValidationOptions,
  fieldPath = 'metadata',
): FieldErrorList {
  const m = meta ?? {};
  const errs: FieldErrorList = [];
  const generateName = m.generateName ?? '';
  if (generateName) {
    for (const msg of opts.nameValidator(generateName, true)) {
      errs.push(invalid(child(fieldPath, 'generateName'), generateName, msg));
    }
  }
  const name = m.name ?? '';
  if (!name) {
    errs.push(required(child(fieldPath, 'name'), 'name or generateName is required'));
  } else {
    for (const msg of opts.nameValidator(name, false))
      errs.push(invalid(child(fieldPath, 'name'), name, msg));
  }
  const namespace = m.namespace ?? '';
  if (opts.namespaced) {
    if (!namespace) errs.push(required(child(fieldPath, 'namespace')));
    else {
      for (const msg of validateNamespaceName(namespace, false)) {
        errs.push(invalid(child(fieldPath, 'namespace'), namespace, msg));
      }
    }
  } else if (namespace) {
    errs.push(forbidden(child(fieldPath, 'namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegative(m.generation ?? 0, child(fieldPath, 'generation')));
  errs.push(...validateLabels(m.labels, child(fieldPath, 'labels')));
  errs.push(...validateAnnotations(m.annotations, child(fieldPath, 'annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, child(fieldPath, 'ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, child(fieldPath, 'finalizers')));
  return errs;
}

export function validateObjectMetaUpdate(
  newMeta: ObjectMetaLike | null | undefined,
  oldMeta: ObjectMetaLike | null | undefined,
  fieldPath = 'metadata',
): FieldErrorList {
  const n = newMeta ?? {};
  const o = oldMeta ?? {};
  const errs: FieldErrorList = [];
  if (o.deletionTimestamp) {
    errs.push(
      ...validateNoNewFinalizers(
        n.finalizers ?? [],
        o.finalizers ?? [],
        child(fieldPath, 'finalizers'),
      ),
    );
  }
  if (!n.resourceVersion) {
    errs.push(
      invalid(
        child(fieldPath, 'resourceVersion'),
        n.resourceVersion ?? '',
        'must be specified for an update',
      ),
    );
  }
  if ((n.generation ?? 0) < (o.generation ?? 0)) {
    errs.push(
      invalid(child(fieldPath, 'generation'), n.generation ?? 0, 'must not be decremented'),
    );
  }
  const immutable: Array<[keyof ObjectMetaLike, unknown]> = [
    ['name', ''],
    ['namespace', ''],
    ['uid', ''],
    ['creationTimestamp', null],
    ['deletionTimestamp', null],
    ['deletionGracePeriodSeconds', null],
  ];
  for (const [field, zero] of immutable) {
    errs.push(
      ...validateImmutableField(
        n[field] ?? zero,
        o[field] ?? zero,
        child(fieldPath, field as string),
      ),
    );
  }
  errs.push(...validateLabels(n.labels, child(fieldPath, 'labels')));
  errs.push(...validateAnnotations(n.annotations, child(fieldPath, 'annotations')));
  errs.push(...validateOwnerReferences(n.ownerReferences, child(fieldPath, 'ownerReferences')));
  return errs;
}

export function validateImmutableField(
  newVal: unknown,
  oldVal: unknown,
  fieldPath: string,
): FieldErrorList {
  return deepEqual(newVal, oldVal) ? [] : [invalid(fieldPath, newVal, FIELD_IMMUTABLE_ERROR_MSG)];
}

export function validateNonnegative(value: number, fieldPath: string): FieldErrorList {
  return value < 0 ? [invalid(fieldPath, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

export function validateAnnotations(
  annotations: Record<string, string> | null | undefined,
  fieldPath: string,
): FieldErrorList {
  const errs: FieldErrorList = [];
  const keys = Object.keys(annotations ?? {}).sort();
  // Annotation keys are qualified names where case does not matter.
  for (const k of keys)
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(fieldPath, k, msg));
  let total = 0;
  for (const k of keys)
    total += Buffer.byteLength(k) + Buffer.byteLength(String(annotations![k] ?? ''));
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES)
    errs.push(tooLong(fieldPath, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

export function validateFinalizerName(name: string, fieldPath: string): FieldErrorList {
  return isQualifiedName(name).map((msg) => invalid(fieldPath, name, msg));
}

export function validateFinalizers(
  finalizers: string[] | null | undefined,
  fieldPath: string,
): FieldErrorList {
  const list = finalizers ?? [];
  const errs: FieldErrorList = [];
  for (const f of list) errs.push(...validateFinalizerName(f, fieldPath));
  if (list.includes(FINALIZER_ORPHAN_DEPENDENTS) && list.includes(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push(
      invalid(
        fieldPath,
        list,
        `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`,
      ),
    );
  }
  return errs;
}

export function validateNoNewFinalizers(
  newF: string[],
  oldF: string[],
  fieldPath: string,
): FieldErrorList {
  const old = new Set(oldF);
  const extra = [...new Set(newF.filter((f) => !old.has(f)))].sort();
  if (extra.length === 0) return [];
  const goList = `[]string{${extra.map((e) => JSON.stringify(e)).join(', ')}}`;
  return [
    forbidden(
      fieldPath,
      `no new finalizers can be added if the object is being deleted, found new finalizers ${goList}`,
    ),
  ];
}

/** Events can't own anything: the garbage collector would never see them go. */
const BANNED_OWNERS = new Set(['v1/Event']);

export function validateOwnerReferences(
  refs: OwnerReferenceLike[] | null | undefined,
  fieldPath: string,
): FieldErrorList {
  const errs: FieldErrorList = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, fieldPath));
    if (ref.controller === true) {
      const current = `${ref.kind ?? ''}/${ref.name ?? ''}`;
      if (firstController) {
        errs.push(
          invalid(
            fieldPath,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

function validateOwnerReference(ref: OwnerReferenceLike, fieldPath: string): FieldErrorList {
  const errs: FieldErrorList = [];
  const apiVersion = ref.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  if (!version)
    errs.push(invalid(child(fieldPath, 'apiVersion'), apiVersion, 'version must not be empty'));
  if (!ref.kind) errs.push(invalid(child(fieldPath, 'kind'), ref.kind ?? '', 'must not be empty'));
  if (!ref.name) errs.push(invalid(child(fieldPath, 'name'), ref.name ?? '', 'must not be empty'));
  if (!ref.uid) errs.push(invalid(child(fieldPath, 'uid'), ref.uid ?? '', 'must not be empty'));
  if (!group && BANNED_OWNERS.has(`${version}/${ref.kind ?? ''}`)) {
    errs.push(
      invalid(fieldPath, ref, `/${version}, Kind=${ref.kind} is disallowed from being an owner`),
    );
  }
  return errs;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}
