// A key -> object map that also answers "all objects in etcd key order" cheaply. The sorted
// array is rebuilt only when the key set changes; an update of an existing key replaces its
// slot. Arrays handed to readers are never mutated afterwards (copy on write), so a reader
// may keep one as a stable snapshot while the reflector moves on.
import type { CachedObject } from './types.js';

export class SortedObjects {
  private readonly byKey = new Map<string, CachedObject>();
  private sorted: CachedObject[] | undefined;
  /** `sorted` was handed out: copy before changing it. */
  private shared = false;

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): CachedObject | undefined {
    return this.byKey.get(key);
  }

  /** Inserts or replaces; returns the previous object. */
  set(obj: CachedObject): CachedObject | undefined {
    const previous = this.byKey.get(obj.key);
    this.byKey.set(obj.key, obj);
    if (!previous) {
      this.sorted = undefined; // the key set changed
      return undefined;
    }
    if (this.sorted) {
      if (this.shared) {
        this.sorted = this.sorted.slice();
        this.shared = false;
      }
      this.sorted[lowerBound(this.sorted, obj.key)] = obj;
    }
    return previous;
  }

  delete(key: string): CachedObject | undefined {
    const previous = this.byKey.get(key);
    if (previous) {
      this.byKey.delete(key);
      this.sorted = undefined;
    }
    return previous;
  }

  /** Every object in key order; the array stays as it is, whatever changes later. */
  list(): readonly CachedObject[] {
    if (!this.sorted) {
      this.sorted = [...this.byKey.values()].sort(compareByKey);
    }
    this.shared = true;
    return this.sorted;
  }
}

// Keys are ASCII (kube names are DNS labels/subdomains), so UTF-16 order is etcd's byte order.
export const compareByKey = (a: CachedObject, b: CachedObject): number =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/** Index of the first object whose key is >= key (objects in key order). */
export function lowerBound(objects: readonly CachedObject[], key: string): number {
  let lo = 0;
  let hi = objects.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (objects[mid]!.key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
