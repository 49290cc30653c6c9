// Strategic merge patch (application/strategic-merge-patch+json), following kube's
// strategicpatch semantics with the options the apiserver uses (parallel deletion lists are
// merged, nulls for absent keys ignored). Maps merge recursively; lists replace unless their
// field says patchStrategy "merge" (by patchMergeKey for objects, as a set for scalars); null
// deletes; $patch, $retainKeys, $deleteFromPrimitiveList/<f> and $setElementOrder/<f> are
// honoured and never left in the result.
import { deepCopyJson } from '../json/deep-copy.js';
import { PatchError } from './errors.js';
import {
  type JsonObject,
  getOwn,
  goFormat,
  goTypeName,
  hasOwn,
  isObject,
  setProp,
} from './json.js';
import { EMPTY_PATCH_META, type PatchMeta, type PatchMetaLookup } from './patch-meta.js';
import {
  type ElementKind,
  errNoMergeKey,
  indexOf,
  normalizeElementOrder,
  partitionByPresence,
} from './strategic-order.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

// kube's mergepatch error texts.
const errBadFormatPrimitiveList = () =>
  PatchError.badRequest('invalid patch format of primitive list');
const errBadFormatRetainKeys = () => PatchError.badRequest('invalid patch format of retainKeys');
const errBadFormatSetElementOrder = () =>
  PatchError.badRequest('invalid patch format of setElementOrder list');
const errNoListOfLists = () =>
  PatchError.unprocessable(new Error('lists of lists are not supported'));
const errBadArgType = (expected: string, actual: unknown) =>
  PatchError.badRequest(`expected a ${expected}, but received a ${goTypeName(actual)}`);
const errBadPatchType = (t: unknown, m: unknown) =>
  PatchError.badRequest(`unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);

/**
 * Applies `patch` to `original` and returns the result; neither argument is modified.
 * Throws PatchError (400 for malformed directives, 422 for unsupported shapes).
 */
export function applyStrategicMergePatch(
  original: JsonObject,
  patch: JsonObject,
  meta: PatchMetaLookup = EMPTY_PATCH_META,
): JsonObject {
  return mergeMap(deepCopyJson(original), deepCopyJson(patch), meta);
}

function mergeMap(original: JsonObject, patch: JsonObject, schema: PatchMetaLookup): JsonObject {
  if (hasOwn(patch, DIRECTIVE)) return handleDirectiveInMap(patch[DIRECTIVE], patch, schema);
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, schema);
  // Deletion lists go last so that they act on the merged list, whatever the key order.
  const keys = Object.keys(patch);
  const ordered = keys.filter((k) => !isDeleteListKey(k)).concat(keys.filter(isDeleteListKey));
  for (const rawKey of ordered) {
    const patchV = patch[rawKey];
    const isDeleteList = isDeleteListKey(rawKey);
    const k = isDeleteList ? extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST) : rawKey;
    if (patchV === null) {
      delete original[k];
      continue;
    }
    const originalV = getOwn(original, k);
    const bothMaps = isObject(originalV) && isObject(patchV);
    const bothLists = Array.isArray(originalV) && Array.isArray(patchV);
    if (!hasOwn(original, k) || (!bothMaps && !bothLists && kindOf(originalV) !== kindOf(patchV))) {
      if (!isDeleteList) setProp(original, k, fresh(patchV, schema, k));
      continue;
    }
    if (bothMaps) {
      const [sub, meta] = schema.forStruct(k);
      setProp(
        original,
        k,
        strategyOf(meta) === 'replace'
          ? fresh(patchV, schema, k)
          : mergeMap(originalV, patchV, sub),
      );
    } else if (bothLists) {
      const [sub, meta] = schema.forSlice(k);
      setProp(original, k, mergeListField(originalV, patchV, sub, meta, isDeleteList));
    } else {
      setProp(original, k, patchV);
    }
  }
  return original;
}

function handleDirectiveInMap(
  directive: unknown,
  patch: JsonObject,
  schema: PatchMetaLookup,
): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return mergeMap({}, patch, schema);
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

/** $retainKeys: drop original keys not listed; every key the patch sets must be listed. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw errBadFormatRetainKeys();
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER))
      continue;
    if (!keep.has(k)) throw errBadFormatRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** $setElementOrder/<f>: merge list <f> now and order it by the directive, patch, then server. */
function mergeOrderedLists(original: JsonObject, patch: JsonObject, schema: PatchMetaLookup): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType('[]interface {}', order);
    const field = extractKey(key, SET_ELEMENT_ORDER);
    const foundOriginal = hasOwn(original, field);
    const foundPatch = hasOwn(patch, field);
    const originalList = getOwn(original, field);
    const patchList = getOwn(patch, field);
    if (foundOriginal && !Array.isArray(originalList))
      throw errBadArgType('[]interface {}', originalList);
    if (foundPatch && !Array.isArray(patchList)) throw errBadArgType('[]interface {}', patchList);
    const [sub, meta] = schema.forSlice(field);
    const mergeKey = meta.patchMergeKey ?? '';
    validateWithSetOrder((patchList as unknown[] | undefined) ?? [], order, mergeKey);
    let merged: unknown[];
    if (foundOriginal && foundPatch) {
      merged = mergeListField(originalList as unknown[], patchList as unknown[], sub, meta, false);
    } else if (foundPatch) {
      merged = fresh(patchList, schema, field) as unknown[];
    } else if (foundOriginal) {
      merged = originalList as unknown[];
    } else {
      continue;
    }
    const originalItems = (originalList as unknown[] | undefined) ?? [];
    const kind = elementKind(originalItems, (patchList as unknown[] | undefined) ?? []);
    if (kind) {
      const [patchItems, serverOnly] = partitionByPresence(
        merged,
        order,
        kind === 'map' ? mergeKey : '',
      );
      merged = normalizeElementOrder(patchItems, serverOnly, order, originalItems, mergeKey, kind);
    }
    setProp(original, field, merged);
    delete patch[field];
  }
}

/** Patch items must appear in the $setElementOrder list, in the same relative order. */
function validateWithSetOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey
    ? patchList.filter((v) => !(isObject(v) && v[DIRECTIVE] === 'delete'))
    : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isObject(items[p]) && hasOwn(items[p] as JsonObject, DIRECTIVE)) {
      p++;
      continue;
    }
    if (sameItem(items[p], order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw PatchError.badRequest(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
    );
  }
}

function sameItem(a: unknown, b: unknown, mergeKey: string): boolean {
  if (!mergeKey) return a === b;
  if (!isObject(a)) throw errBadArgType('map[string]interface {}', a);
  if (!isObject(b)) throw errBadArgType('map[string]interface {}', b);
  if (!hasOwn(a, mergeKey)) throw errNoMergeKey(a, mergeKey);
  if (!hasOwn(b, mergeKey)) throw errNoMergeKey(b, mergeKey);
  return a[mergeKey] === b[mergeKey];
}

function mergeListField(
  original: unknown[],
  patch: unknown[],
  items: PatchMetaLookup,
  meta: PatchMeta,
  isDeleteList: boolean,
): unknown[] {
  if (strategyOf(meta) !== 'merge') return freshList(patch, items, meta);
  return mergeSlice(original, patch, items, meta.patchMergeKey ?? '', isDeleteList);
}

function mergeSlice(
  original: unknown[],
  patch: unknown[],
  items: PatchMetaLookup,
  mergeKey: string,
  isDeleteList: boolean,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch)!;
  let merged: unknown[];
  let base = original;
  let rest = patch;
  if (kind === 'scalar') {
    if (isDeleteList) {
      const drop = new Set(patch);
      return original.filter((v) => !drop.has(v));
    }
    merged = [...new Set([...original, ...patch])];
  } else {
    if (!mergeKey)
      throw PatchError.badRequest(`cannot merge lists without merge key for ${items.name}`);
    [base, rest] = withoutSpecialElements(original, patch, mergeKey, items);
    merged = [...base];
    for (const v of rest as JsonObject[]) {
      if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
      const at = indexOf(merged, v, mergeKey, 'map');
      merged[at >= 0 ? at : merged.length] = mergeMap(
        at >= 0 ? (merged[at] as JsonObject) : {},
        v,
        items,
      );
    }
  }
  const [patchItems, serverOnly] = partitionByPresence(
    merged,
    rest,
    kind === 'map' ? mergeKey : '',
  );
  return normalizeElementOrder(patchItems, serverOnly, rest, base, mergeKey, kind);
}

/** Applies `$patch: delete` and `$patch: replace` items; returns [original, remaining patch]. */
function withoutSpecialElements(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  items: PatchMetaLookup,
): [unknown[], unknown[]] {
  let base = original;
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch as JsonObject[]) {
    if (!hasOwn(v, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    switch (v[DIRECTIVE]) {
      case 'delete':
        if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
        for (const o of base)
          if (!isObject(o))
            throw PatchError.badRequest(`value for key ${base.indexOf(o)} is not a map.`);
        base = base.filter((o) => (o as JsonObject)[mergeKey] !== v[mergeKey]);
        break;
      case 'replace':
        replace = true;
        break;
      case 'merge':
        throw PatchError.badRequest('merging lists cannot yet be specified in the patch');
      default:
        throw errBadPatchType(v[DIRECTIVE], v);
    }
  }
  if (replace) return [plain.map((v) => mergeMap({}, v as JsonObject, items)), []];
  return [base, plain];
}

/** 'map' or 'scalar' for the items of both lists; undefined when both are empty. */
function elementKind(...lists: unknown[][]): ElementKind | undefined {
  let kind: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = Array.isArray(v) ? 'list' : isObject(v) ? 'map' : typeof v;
      if (kind === undefined) {
        if (k === 'list') throw errNoListOfLists();
        kind = k;
      } else if (kind !== k) {
        throw PatchError.badRequest(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  return kind === undefined ? undefined : kind === 'map' ? 'map' : 'scalar';
}

/** A patch value taken whole (no original to merge with): strip directives and nulls inside. */
function fresh(value: unknown, schema: PatchMetaLookup, key: string): unknown {
  if (isObject(value)) return mergeMap({}, value, schema.forStruct(key)[0]);
  if (Array.isArray(value)) {
    const [items, meta] = schema.forSlice(key);
    return freshList(value, items, meta);
  }
  return value;
}

function freshList(list: unknown[], items: PatchMetaLookup, meta: PatchMeta): unknown[] {
  if (strategyOf(meta) === 'merge' && meta.patchMergeKey && list.some(isObject)) {
    return mergeSlice([], list, items, meta.patchMergeKey, false);
  }
  return list.map((v) => (isObject(v) ? mergeMap({}, v, items) : v));
}

/** The strategy besides retainKeys ("merge,retainKeys" -> "merge"). */
function strategyOf(meta: PatchMeta): string {
  const parts = (meta.patchStrategy ?? '').split(',').filter(Boolean);
  const rest = parts.filter((p) => p !== 'retainKeys');
  if (parts.length > 2 || rest.length > 1) {
    throw PatchError.badRequest(`unexpected patch strategy: [${parts.join(' ')}]`);
  }
  return rest[0] ?? '';
}

const isDeleteListKey = (k: string) => k.startsWith(DELETE_FROM_PRIMITIVE_LIST);

function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST
      ? errBadFormatPrimitiveList()
      : errBadFormatSetElementOrder();
  }
  return key.slice(slash + 1);
}

const kindOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
