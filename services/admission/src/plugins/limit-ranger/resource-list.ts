// ResourceList arithmetic on exact quantities: sums keep the first addend's format, as
// kube's Quantity.Add does, so messages print the way kube prints them.
import { compareQuantities, tryParseQuantity, type Quantity } from '@splitplane/apimachinery';

export type ResourceList = Map<string, Quantity>;

/** The parseable entries of a JSON resource list (requests, limits, min, max...). */
export function resourceList(value: unknown): ResourceList {
  const out: ResourceList = new Map();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const q = tryParseQuantity(raw);
    if (q) out.set(name, q);
  }
  return out;
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const scale = Math.min(a.scale, b.scale);
  const digits =
    a.digits * 10n ** BigInt(a.scale - scale) + b.digits * 10n ** BigInt(b.scale - scale);
  return { digits, scale, format: a.format };
}

/** Adds `add` into `into` (resources missing from `into` are copied). */
export function addInto(into: ResourceList, add: ResourceList): void {
  for (const [name, q] of add) {
    const have = into.get(name);
    into.set(name, have ? addQuantities(have, q) : q);
  }
}

/** Raises each resource of `into` to at least the one in `other`. */
export function maxInto(into: ResourceList, other: ResourceList): void {
  for (const [name, q] of other) {
    const have = into.get(name);
    if (!have || compareQuantities(q, have) > 0) into.set(name, q);
  }
}

/** Sorted names, so error lists come out in a stable order. */
export const sortedNames = (list: ResourceList) => [...list.keys()].sort();
