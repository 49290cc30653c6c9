// The informer's local store: objects by namespace/name, with a namespace index and any
// custom indexers. Objects are shared with handlers: treat them as read-only.
import type { KubeObject } from '@splitplane/scheme';

export type Indexer = (obj: KubeObject) => string[];

export const NAMESPACE_INDEX = 'namespace';

export class UnknownIndexError extends Error {
  constructor(readonly indexName: string) {
    super(`no index named "${indexName}"`);
    this.name = 'UnknownIndexError';
  }
}

export function storeKey(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function keyOf(obj: KubeObject): string {
  return storeKey(obj.metadata?.namespace ?? '', obj.metadata?.name ?? '');
}

export interface ReadonlyStore {
  get(namespace: string, name: string): KubeObject | undefined;
  list(): KubeObject[];
  byIndex(indexName: string, value: string): KubeObject[];
  readonly size: number;
}

export class IndexedStore implements ReadonlyStore {
  readonly #objects = new Map<string, KubeObject>();
  readonly #indexers: Map<string, Indexer>;
  /** index name → value → keys */
  readonly #indexes = new Map<string, Map<string, Set<string>>>();
  /** key → index name → the values it was indexed under */
  readonly #indexed = new Map<string, Map<string, string[]>>();

  constructor(indexers: Record<string, Indexer> = {}) {
    this.#indexers = new Map(Object.entries(indexers));
    this.#indexers.set(NAMESPACE_INDEX, (obj) => [obj.metadata?.namespace ?? '']);
    for (const name of this.#indexers.keys()) this.#indexes.set(name, new Map());
  }

  get size(): number {
    return this.#objects.size;
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.#objects.get(storeKey(namespace, name));
  }

  getByKey(key: string): KubeObject | undefined {
    return this.#objects.get(key);
  }

  list(): KubeObject[] {
    return [...this.#objects.values()];
  }

  keys(): IterableIterator<string> {
    return this.#objects.keys();
  }

  byIndex(indexName: string, value: string): KubeObject[] {
    const index = this.#indexes.get(indexName);
    if (!index) throw new UnknownIndexError(indexName);
    const keys = index.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.#objects.get(k)!);
  }

  /** Inserts or replaces; returns the previous object. */
  set(obj: KubeObject): KubeObject | undefined {
    const key = keyOf(obj);
    const old = this.#objects.get(key);
    if (old) this.#unindex(key);
    this.#objects.set(key, obj);
    this.#index(key, obj);
    return old;
  }

  delete(key: string): KubeObject | undefined {
    const old = this.#objects.get(key);
    if (!old) return undefined;
    this.#unindex(key);
    this.#objects.delete(key);
    return old;
  }

  #index(key: string, obj: KubeObject): void {
    const values = new Map<string, string[]>();
    for (const [name, fn] of this.#indexers) {
      const index = this.#indexes.get(name)!;
      let list: string[];
      try {
        list = [...new Set(fn(obj))];
      } catch {
        list = []; // a broken indexer must not break the informer: the object is just not indexed
      }
      values.set(name, list);
      for (const value of list) {
        let keys = index.get(value);
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      }
    }
    this.#indexed.set(key, values);
  }

  /** Uses the values recorded at insert, so indexers need not be pure. */
  #unindex(key: string): void {
    const values = this.#indexed.get(key);
    if (!values) return;
    this.#indexed.delete(key);
    for (const [name, list] of values) {
      const index = this.#indexes.get(name)!;
      for (const value of list) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}
