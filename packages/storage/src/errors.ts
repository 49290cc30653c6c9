// Typed storage failures, after k8s.io/apiserver/pkg/storage's errors. The registry maps the
// key-level ones to StatusErrors naming its own group/resource; the ones whose Status does
// not depend on the resource (compaction, size) already are StatusErrors.
import { StatusError, newRequestEntityTooLarge } from '@splitplane/apimachinery';

export class StorageError extends Error {
  constructor(
    message: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** create() found the key already present. */
export class KeyExistsError extends StorageError {
  constructor(key: string, options?: ErrorOptions) {
    super(`key exists: ${key}`, key, options);
  }
}

/** get/update/delete of a key that is not there. */
export class KeyNotFoundError extends StorageError {
  constructor(key: string, options?: ErrorOptions) {
    super(`key not found: ${key}`, key, options);
  }
}

/**
 * A write lost a compare-and-swap and cannot simply be retried (for example a delete whose
 * resourceVersion precondition no longer holds), or the retry budget ran out.
 */
export class ConflictError extends StorageError {
  constructor(
    key: string,
    readonly why: string,
    options?: ErrorOptions,
  ) {
    super(`conflict on ${key}: ${why}`, key, options);
  }
}

/**
 * A uid/resourceVersion precondition did not hold. `why` is kube's wording
 * ("Precondition failed: UID in precondition: ..."); the registry wraps it in a 409 Conflict.
 */
export class PreconditionError extends StorageError {
  constructor(
    key: string,
    readonly why: string,
  ) {
    super(`${why} (key ${key})`, key);
  }
}

/**
 * The requested revision has been compacted away. As a StatusError it is kube's 410 Expired;
 * for a paginated list it carries the "inconsistent" continue token kube hands back.
 */
export class CompactedError extends StatusError {
  constructor(
    message: string,
    readonly compactRevision: string | undefined,
    continueToken?: string,
    options?: ErrorOptions,
  ) {
    super({ code: 410, reason: 'Expired', message }, options);
    this.name = 'CompactedError';
    if (continueToken) this.status.metadata.continue = continueToken;
  }
}

/** A value over etcd's request limit: 413, never a 500 (and never a tripped breaker). */
export class EntityTooLargeError extends StatusError {
  constructor(
    readonly size: number,
    readonly limit: number,
    options?: ErrorOptions,
  ) {
    super(
      newRequestEntityTooLarge(
        size >= 0
          ? `limit is ${limit} bytes, the object is ${size} bytes when stored`
          : `the object exceeds the storage request limit of ${limit} bytes`,
      ).status,
      options,
    );
    this.name = 'EntityTooLargeError';
  }
}

/** etcd's own words for the failures we translate (matched on the message, as etcd3 gives no codes). */
export const ETCD_COMPACTED = 'required revision has been compacted';
export const ETCD_FUTURE_REVISION = 'required revision is a future revision';
export const ETCD_TOO_LARGE = 'request is too large';
/** etcd's gRPC server refuses messages over max-request-bytes + 512 KiB before raft sees them. */
export const ETCD_GRPC_TOO_LARGE = 'received message larger than max';

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
