import type { ResourceDefinition } from '@splitplane/scheme';

/** The cache holds no store for this resource (added to the scheme after the last list). */
export class ResourceNotCachedError extends Error {
  constructor(
    readonly def: Pick<ResourceDefinition, 'group' | 'plural'>,
    options?: ErrorOptions,
  ) {
    super(`resource ${def.plural}${def.group ? `.${def.group}` : ''} is not cached`, options);
    this.name = 'ResourceNotCachedError';
  }
}

/** A list came back older than what the cache already served; it is not installed. */
export class StaleListError extends Error {
  constructor(
    readonly listRevision: bigint,
    readonly cacheRevision: bigint,
  ) {
    super(`list at revision ${listRevision} is older than the cache's revision ${cacheRevision}`);
    this.name = 'StaleListError';
  }
}
