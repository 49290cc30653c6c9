// Resource versions are etcd revisions: int64. They are carried as bigint inside the window
// because a JS Number loses integers past 2^53, and bigint compares and increments exactly
// (decimal strings would need length-then-lexical compares and re-parsing for every +1).
// Decimal strings stay the wire form (proto, NATS, JSON); convert only at the boundary.

/** Largest etcd revision (int64 max). */
export const MAX_RV = (1n << 63n) - 1n;

export class InvalidResourceVersionError extends Error {
  constructor(
    readonly value: string,
    options?: { cause?: unknown },
  ) {
    super(
      `invalid resource version ${JSON.stringify(value)}: must be a non-negative int64`,
      options,
    );
    this.name = 'InvalidResourceVersionError';
  }
}

/** Parses a decimal resourceVersion ("0".."9223372036854775807") without precision loss. */
export function parseRv(value: string): bigint {
  if (!/^\d{1,19}$/.test(value)) throw new InvalidResourceVersionError(value);
  const rv = BigInt(value);
  if (rv > MAX_RV) throw new InvalidResourceVersionError(value);
  return rv;
}

export function formatRv(rv: bigint): string {
  return rv.toString();
}

/** Throws TypeError/RangeError for values that are not int64 revisions (programming errors). */
export function assertRv(rv: unknown, what: string): asserts rv is bigint {
  if (typeof rv !== 'bigint') throw new TypeError(`${what} must be a bigint, got ${typeof rv}`);
  if (rv < 0n || rv > MAX_RV) throw new RangeError(`${what} ${rv} is outside int64 revisions`);
}
