// Range reads with kube's pagination: the first page pins a revision, every later page
// reads at that revision through the continue token, and a compacted revision is a 410
// carrying kube's "inconsistent" continuation token (rv -1 = latest).
import type { KvRpc } from './kv-rpc.js';
import type { IKeyValue, IRangeResponse } from 'etcd3';
import { jsonWithResourceVersion } from './raw-json.js';
import type { KubeObject } from '@splitplane/scheme';
import { decodeObject, prefixEnd } from './codec.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { CompactedError } from './errors.js';

export interface ListOptions {
  /** Page size; 0/undefined lists everything. */
  limit?: number;
  /** A continue token from an earlier page of the same prefix. */
  continue?: string;
  /** Exact revision to read at (ignored with `continue`, whose token carries it). */
  revision?: string;
  /** Keeps only matching objects; pages are filled up to `limit` matches, as kube does. */
  predicate?: (obj: KubeObject) => boolean;
  deadline?: Date;
}

export interface ListResult {
  items: KubeObject[];
  /** Revision the list was read at (the list's resourceVersion). */
  revision: string;
  continue?: string;
  /** Objects after this page; only without a predicate, as kube reports it. */
  remainingItemCount?: number;
}

const EXPIRED = 'The resourceVersion for the provided list is too old.';
const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. ' +
  'You can start a new list without the continue parameter, or use the continue token in this ' +
  'response to retrieve the remainder of the results. Continuing with the provided token results ' +
  'in an inconsistent list - objects that were created, modified, or deleted between the time the ' +
  'first chunk was returned and now may show up in the list.';

export interface RawListResult extends Omit<ListResult, 'items'> {
  /** Each object's JSON with its resourceVersion, as JSON.stringify writes it. */
  items: Buffer[];
}

export function listRange(
  client: { kv: Pick<KvRpc, 'range'> },
  prefix: string,
  opts: ListOptions,
  translate: (err: unknown) => unknown,
): Promise<ListResult> {
  return listItems(client, prefix, opts, translate, (kv) => {
    const obj = decodeObject(kv.value, kv.mod_revision);
    return opts.predicate && !opts.predicate(obj) ? undefined : obj;
  });
}

/** listRange with each item as reply JSON (raw-json.ts); a predicate still sees objects. */
export function listRangeRaw(
  client: { kv: Pick<KvRpc, 'range'> },
  prefix: string,
  opts: ListOptions,
  translate: (err: unknown) => unknown,
): Promise<RawListResult> {
  return listItems(client, prefix, opts, translate, (kv) => {
    if (opts.predicate && !opts.predicate(decodeObject(kv.value, kv.mod_revision)))
      return undefined;
    return jsonWithResourceVersion(kv.value, kv.mod_revision);
  });
}

async function listItems<T>(
  client: { kv: Pick<KvRpc, 'range'> },
  prefix: string,
  opts: ListOptions,
  translate: (err: unknown) => unknown,
  itemOf: (kv: IKeyValue) => T | undefined,
): Promise<{ items: T[]; revision: string; continue?: string; remainingItemCount?: number }> {
  let startKey = prefix;
  let revision = opts.revision && opts.revision !== '0' ? opts.revision : '0';
  if (opts.continue) {
    const token = decodeContinue(opts.continue, prefix);
    startKey = token.startKey;
    revision = token.rv === '-1' ? '0' : token.rv;
  }
  const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
  const rangeEnd = prefixEnd(prefix);
  const items: T[] = [];
  const options = opts.deadline ? { deadline: opts.deadline } : undefined;

  for (;;) {
    let resp: IRangeResponse;
    try {
      resp = await client.kv.range(
        { key: Buffer.from(startKey), range_end: rangeEnd, limit: limit || 0, revision },
        options,
      );
    } catch (err) {
      const translated = translate(err);
      if (translated instanceof CompactedError) {
        if (opts.continue) {
          throw new CompactedError(
            INCONSISTENT_CONTINUE,
            undefined,
            encodeContinue(startKey, prefix, '-1'),
            { cause: err },
          );
        }
        throw new CompactedError(EXPIRED, undefined, undefined, { cause: err });
      }
      throw translated;
    }
    // Pin every later page (and the list's resourceVersion) to the first read's revision.
    if (revision === '0') revision = resp.header.revision;

    for (let i = 0; i < resp.kvs.length; i++) {
      const kv = resp.kvs[i]!;
      const item = itemOf(kv);
      if (item === undefined) continue;
      items.push(item);
      if (limit && items.length >= limit) {
        const moreAfter = i < resp.kvs.length - 1 || resp.more;
        if (!moreAfter) return { items, revision };
        const next = kv.key.toString('utf8') + '\u0000';
        const result: {
          items: T[];
          revision: string;
          continue?: string;
          remainingItemCount?: number;
        } = {
          items,
          revision,
          continue: encodeContinue(next, prefix, revision),
        };
        if (!opts.predicate) {
          // count covers [startKey, end) at this revision; what we did not return remains.
          const remaining = Number(resp.count) - (i + 1);
          if (remaining > 0) result.remainingItemCount = remaining;
        }
        return result;
      }
    }
    if (!limit || !resp.more || resp.kvs.length === 0) return { items, revision };
    startKey = resp.kvs[resp.kvs.length - 1]!.key.toString('utf8') + '\u0000';
  }
}
