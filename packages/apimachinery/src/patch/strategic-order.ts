// Ordering of merged lists in strategic merge patch, as kube's strategicpatch does it:
// items named by the patch (or its $setElementOrder list) keep the patch's order, items only
// on the server keep theirs, and the two are interleaved using the server's order.
import { PatchError } from './errors.js';
import { goFormat, hasOwn, isObject } from './json.js';

export type ElementKind = 'map' | 'scalar';

export function errNoMergeKey(m: unknown, key: string): PatchError {
  return PatchError.badRequest(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
}

/** Index of `item` in `list`: by merge key for maps, by value for scalars. */
export function indexOf(
  list: readonly unknown[],
  item: unknown,
  mergeKey: string,
  kind: ElementKind,
): number {
  if (kind !== 'map') return list.indexOf(item);
  if (!isObject(item)) return -1;
  const want = hasOwn(item, mergeKey) ? item[mergeKey] : undefined;
  return list.findIndex((v) => isObject(v) && hasOwn(v, mergeKey) && v[mergeKey] === want);
}

/** Splits `merged` into items present in `by` (by merge key or value) and the rest. */
export function partitionByPresence(
  merged: readonly unknown[],
  by: readonly unknown[],
  mergeKey: string,
): [unknown[], unknown[]] {
  const present: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) {
    let found: boolean;
    if (mergeKey) {
      if (!isObject(v))
        throw PatchError.badRequest(
          `expected a map[string]interface {}, but received a ${typeof v}`,
        );
      if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
      found = indexOf(by, v, mergeKey, 'map') >= 0;
    } else {
      found = by.includes(v);
    }
    (found ? present : serverOnly).push(v);
  }
  return [present, serverOnly];
}

export function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const sortedPatch = sortBy(patch, patchOrder, mergeKey, kind);
  const sortedServer = sortBy(serverOnly, serverOrder, mergeKey, kind);
  return mergeSorted(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
}

function sortBy(
  toSort: unknown[],
  order: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  if (kind === 'map') {
    for (const v of [...toSort, ...order])
      if (!isObject(v) || !hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
  }
  const rank = (v: unknown) => {
    const i = indexOf(order, v, mergeKey, kind);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return toSort
    .map((v, i) => ({ v, i, r: rank(v) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((e) => e.v);
}

/**
 * Inserts server-only items (left) among patch items (right): a left item goes first only when
 * both are in the server's list and it comes earlier there.
 */
function mergeSorted(
  left: unknown[],
  right: unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexOf(serverOrder, left[i], mergeKey, kind);
      const ri = indexOf(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
