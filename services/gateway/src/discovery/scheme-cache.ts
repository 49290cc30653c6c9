// Memoizes documents derived from a Scheme. The Scheme has no change counter, so the
// cache compares the current definitions by identity: add() and remove() replace or drop
// definition objects, and either one changes the list. O(resources) per lookup, which is
// far cheaper than rebuilding discovery or OpenAPI documents.
import type { ResourceDefinition, Scheme } from '@splitplane/scheme';

export class SchemeMemo<T> {
  private seen: readonly ResourceDefinition[] = [];
  private value: T | undefined;
  private built = false;
  private generation = 0;

  constructor(
    private readonly scheme: Scheme,
    private readonly build: (scheme: Scheme) => T,
  ) {}

  get(): T {
    const current = this.scheme.all();
    if (!this.built || !sameDefinitions(this.seen, current)) {
      this.value = this.build(this.scheme);
      this.seen = current;
      this.built = true;
      this.generation++;
    }
    return this.value as T;
  }

  /** Increases every time the value was rebuilt; usable in ETags. */
  get version(): number {
    this.get();
    return this.generation;
  }
}

function sameDefinitions(
  a: readonly ResourceDefinition[],
  b: readonly ResourceDefinition[],
): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
