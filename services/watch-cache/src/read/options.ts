// ListOptions and GET's resourceVersion -> what a read must return, validated as kube
// validates them: ValidateListOptions (422 on ListOptions.meta.k8s.io), then the storage
// layer's resourceVersion, limit and continue checks (400).
import {
  forbidden,
  newBadRequest,
  newInvalid,
  notSupported,
  type FieldError,
  type StatusError,
} from '@splitplane/apimachinery';
import type { ListOptions } from '@splitplane/proto';
import { decodeContinue } from '@splitplane/storage';

/** What resourceVersion the answer must reflect (API concepts, "Resource versions"). */
export type Consistency =
  /** resourceVersion unset: etcd's current revision, read from the cache once it got there. */
  | { readonly kind: 'consistent' }
  /** "0": whatever the cache holds. */
  | { readonly kind: 'any' }
  /** The cache's state once it reached rv. */
  | { readonly kind: 'not-older-than'; readonly rv: bigint }
  /** The state at exactly rv. */
  | { readonly kind: 'exact'; readonly rv: bigint };

export interface ListPlan {
  readonly consistency: Consistency;
  /** Items per page; 0 = everything. */
  readonly limit: number;
  /** Absolute key to resume at (inclusive), from a continue token. */
  readonly startKey?: string;
}

const UINT64_MAX = (1n << 64n) - 1n;

/** Go's strconv.ParseUint(s, 10, 64), with the message kube's versioner puts around it. */
export function parseResourceVersion(value: string): bigint {
  const fail = (why: string): StatusError =>
    // kube answers 500 here (kubernetes#101350); a malformed parameter is the client's
    // error, so we keep its words and answer 400 as the proposed upstream fix does.
    newBadRequest(
      `resourceVersion: Invalid value: ${JSON.stringify(value)}: strconv.ParseUint: parsing ${JSON.stringify(value)}: ${why}`,
    );
  if (!/^\d+$/.test(value)) throw fail('invalid syntax');
  const rv = BigInt(value);
  if (rv > UINT64_MAX) throw fail('value out of range');
  return rv;
}

/** GET: unset is a consistent read, "0" any, anything else not older than. */
export function getConsistency(resourceVersion: string): Consistency {
  if (resourceVersion === '') return { kind: 'consistent' };
  const rv = parseResourceVersion(resourceVersion);
  return rv === 0n ? { kind: 'any' } : { kind: 'not-older-than', rv };
}

/** kube's ValidateListOptions for a (non-watch) list. */
export function validateListOptions(options: ListOptions): void {
  const errs: FieldError[] = [];
  const match = options.resourceVersionMatch;
  if (match) {
    if (!options.resourceVersion)
      errs.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden unless resourceVersion is provided',
        ),
      );
    if (options.continue)
      errs.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden when continue is provided',
        ),
      );
    if (match !== 'Exact' && match !== 'NotOlderThan')
      errs.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && options.resourceVersion === '0')
      errs.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
      );
  }
  if (errs.length) throw newInvalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
}

/** The int64 limit the proto carries; <= 0 means no limit, as in kube. */
export function parseLimit(raw: string): number {
  if (raw === '' || raw === undefined) return 0;
  if (!/^[+-]?\d+$/.test(raw))
    throw newBadRequest(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  const n = BigInt(raw);
  if (n <= 0n) return 0;
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/**
 * The plan of a list served from the cache. `prefix` is the listed collection's key prefix
 * (continue tokens are relative to it, as kube's are).
 *
 * Which requests page follows kube 1.32's cacher: "0" and an explicit NotOlderThan are
 * served whole from the cache with `limit` ignored; a limit with a resourceVersion (no
 * match) and Exact are exact; unset is consistent (paged when limited); a continue token
 * is exact at its revision, or consistent when the token is kube's "inconsistent" one (-1).
 */
export function listPlan(options: ListOptions, prefix: string): ListPlan {
  validateListOptions(options);
  const rvString = options.resourceVersion;
  const rv = rvString === '' ? undefined : parseResourceVersion(rvString);
  const limit = parseLimit(options.limit);

  if (options.continue) {
    let token;
    try {
      token = decodeContinue(options.continue, prefix);
    } catch (err) {
      throw newBadRequest(`invalid continue token: ${(err as Error).message}`, err);
    }
    if (rv !== undefined && rv !== 0n)
      throw newBadRequest('specifying resource version is not allowed when using continue');
    const consistency: Consistency =
      token.rv === '-1' ? { kind: 'consistent' } : { kind: 'exact', rv: BigInt(token.rv) };
    return { consistency, limit, startKey: token.startKey };
  }

  if (rv === undefined) return { consistency: { kind: 'consistent' }, limit };
  if (rv === 0n) return { consistency: { kind: 'any' }, limit: 0 };
  const match = options.resourceVersionMatch;
  if (match === 'Exact' || (match === '' && limit > 0))
    return { consistency: { kind: 'exact', rv }, limit };
  return { consistency: { kind: 'not-older-than', rv }, limit: 0 };
}
