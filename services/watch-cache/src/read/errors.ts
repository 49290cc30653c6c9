// The Status errors of reads from the cache, worded as kube-apiserver words them
// (k8s.io/apiserver storage errors and the cacher), so clients and client-go react alike.
import { StatusError, newResourceExpired, type StatusCause } from '@splitplane/apimachinery';

/** kube's CauseTypeResourceVersionTooLarge; client-go's reflector keys its retry off it. */
export const RESOURCE_VERSION_TOO_LARGE = 'ResourceVersionTooLarge';
/** kube waits this long for its cache to reach a requested resourceVersion (blockTimeout). */
export const FRESHNESS_WAIT_MS = 3_000;
/** The Retry-After kube sends with "Too large resource version". */
export const TOO_LARGE_RETRY_AFTER_SECONDS = 1;

/**
 * The cache did not reach `requested` in time: kube's NewTooLargeResourceVersionError,
 * a 504 Timeout ("Timeout: " is NewTimeoutError's prefix) with Retry-After (kube's cache
 * says 1 s; its etcd store, which cannot wait, 0 and so no Retry-After).
 */
export function tooLargeResourceVersion(
  requested: bigint,
  current: bigint,
  retryAfterSeconds = TOO_LARGE_RETRY_AFTER_SECONDS,
): StatusError {
  const cause: StatusCause = {
    reason: RESOURCE_VERSION_TOO_LARGE,
    message: 'Too large resource version',
  };
  return new StatusError({
    code: 504,
    reason: 'Timeout',
    message: `Timeout: Too large resource version: ${requested}, current: ${current}`,
    details: { causes: [cause], ...(retryAfterSeconds ? { retryAfterSeconds } : {}) },
  });
}

/** An exact list below the window: the cacher's 410 Expired wording. */
export function tooOldResourceVersion(requested: bigint, oldest: bigint): StatusError {
  return newResourceExpired(`too old resource version: ${requested} (${oldest})`);
}

/** kube's text when a continue token's revision is gone (etcd3 store). */
export const CONTINUE_EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. ' +
  'You can start a new list without the continue parameter, or use the continue token in this ' +
  'response to retrieve the remainder of the results. Continuing with the provided token results ' +
  'in an inconsistent list - objects that were created, modified, or deleted between the time the ' +
  'first chunk was returned and now may show up in the list.';

/** 410 Expired carrying kube's "inconsistent" continue token (rv -1: continue at latest). */
export function continueExpired(inconsistentToken: string): StatusError {
  const err = newResourceExpired(CONTINUE_EXPIRED_MESSAGE);
  err.status.metadata.continue = inconsistentToken;
  return err;
}
