// WatchEvent (wire) → FeedEvent (shared, immutable). Parsing is lazy and memoized because
// one event fans out to many subscribers, and most of them only forward the bytes.
import type { WatchEvent } from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import type { FeedEvent, FeedEventType } from './feed-types.js';

export class FeedDecodeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FeedDecodeError';
  }
}

const OBJECT_TYPES: ReadonlySet<string> = new Set(['ADDED', 'MODIFIED', 'DELETED']);

export function isObjectEventType(type: string): type is FeedEventType {
  return OBJECT_TYPES.has(type);
}

/** Parses a decimal revision; rejects anything else (revisions exceed 2^53: never Number()). */
export function parseRv(value: string, what = 'resourceVersion'): bigint {
  if (!/^\d+$/.test(value)) throw new FeedDecodeError(`${what} "${value}" is not a revision`);
  return BigInt(value);
}

/** Like parseRv, with an empty string meaning 0 (proto3's default). */
export function parseOptionalRv(value: string, what?: string): bigint {
  return value === '' ? 0n : parseRv(value, what);
}

class DecodedEvent implements FeedEvent {
  #parsed: KubeObject | undefined;
  #parsedPrev: KubeObject | null | undefined;

  constructor(
    readonly type: FeedEventType,
    readonly rv: bigint,
    readonly prevRv: bigint,
    readonly namespace: string,
    readonly name: string,
    readonly object: Buffer,
    readonly prevObject: Buffer | undefined,
  ) {}

  parsed(): KubeObject {
    this.#parsed ??= JSON.parse(this.object.toString('utf8')) as KubeObject;
    return this.#parsed;
  }

  parsedPrev(): KubeObject | undefined {
    if (this.#parsedPrev === undefined) {
      this.#parsedPrev = this.prevObject
        ? (JSON.parse(this.prevObject.toString('utf8')) as KubeObject)
        : null;
    }
    return this.#parsedPrev ?? undefined;
  }
}

/** Throws FeedDecodeError for PROGRESS or unknown types, and for malformed revisions. */
export function decodeFeedEvent(ev: WatchEvent): FeedEvent {
  if (!isObjectEventType(ev.type)) {
    throw new FeedDecodeError(`event type "${ev.type}" carries no object`);
  }
  const prev = ev.prevObject && ev.prevObject.length > 0 ? Buffer.from(ev.prevObject) : undefined;
  return new DecodedEvent(
    ev.type,
    parseRv(ev.rv, 'rv'),
    parseOptionalRv(ev.prevRv, 'prevRv'),
    ev.namespace,
    ev.name,
    Buffer.from(ev.object),
    prev,
  );
}
