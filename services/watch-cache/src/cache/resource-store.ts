// The current objects of one resource, with a namespace index. Mutated only by the
// reflector (watch-cache.ts); readers see ResourceCache.
import type { ResourceDefinition } from '@splitplane/scheme';
import { SortedObjects } from './sorted-objects.js';
import type { CachedObject, ResourceCache } from './types.js';

const EMPTY: readonly CachedObject[] = Object.freeze([]);

export class ResourceStore implements ResourceCache {
  private readonly all = new SortedObjects();
  private readonly namespaces = new Map<string, SortedObjects>();

  constructor(
    readonly resource: string,
    readonly def: ResourceDefinition,
  ) {}

  get size(): number {
    return this.all.size;
  }

  get(key: string): CachedObject | undefined {
    return this.all.get(key);
  }

  list(namespace?: string): readonly CachedObject[] {
    if (!namespace) return this.all.list();
    return this.namespaces.get(namespace)?.list() ?? EMPTY;
  }

  /** Inserts or replaces an object; returns its previous state. */
  put(obj: CachedObject): CachedObject | undefined {
    const previous = this.all.set(obj);
    // A key names its namespace, so an update never moves an object between namespaces.
    let ns = this.namespaces.get(obj.namespace);
    if (!ns) {
      ns = new SortedObjects();
      this.namespaces.set(obj.namespace, ns);
    }
    ns.set(obj);
    return previous;
  }

  remove(key: string): CachedObject | undefined {
    const previous = this.all.delete(key);
    if (previous) {
      const ns = this.namespaces.get(previous.namespace);
      ns?.delete(key);
      if (ns?.size === 0) this.namespaces.delete(previous.namespace);
    }
    return previous;
  }
}
