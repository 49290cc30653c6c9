// ListResponse decoding that keeps items as views into the received message: the generic
// decoder copies every item (15 MiB for 5,000 pods) only for the gateway to write them
// out once and drop them. The views keep the message buffer alive exactly as long as the
// items, which the gateway holds only while it answers one request.
import { makeGenericClientConstructor } from '@grpc/grpc-js';
import { ListResponse, WatchCacheClient, WatchCacheService } from '@splitplane/proto';

/** Decodes like `ListResponse.decode`, but items share `data`'s memory. */
export function decodeListResponseView(data: Buffer): ListResponse {
  const m: ListResponse = {
    items: [],
    resourceVersion: '',
    continue: '',
    remainingItemCount: undefined,
    warnings: [],
  };
  let pos = 0;
  const varint = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      if (pos >= data.length) throw new RangeError('ListResponse: truncated varint');
      const b = data[pos++]!;
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
      if (mul > 2 ** 49) throw new RangeError('ListResponse: length varint too long');
    }
  };
  const slice = (): Buffer => {
    const len = varint();
    if (pos + len > data.length) throw new RangeError('ListResponse: truncated field');
    const out = data.subarray(pos, pos + len);
    pos += len;
    return out;
  };
  while (pos < data.length) {
    const tag = data[pos]!;
    // Only the five known fields with one-byte tags take the fast path; anything else
    // (unknown fields from a newer peer) goes to the generic decoder.
    if (tag === 10) {
      pos++;
      m.items.push(slice());
    } else if (tag === 18) {
      pos++;
      m.resourceVersion = slice().toString('utf8');
    } else if (tag === 26) {
      pos++;
      m.continue = slice().toString('utf8');
    } else if (tag === 42) {
      pos++;
      m.warnings.push(slice().toString('utf8'));
    } else if (tag === 32) {
      pos++;
      let n = 0n;
      let shift = 0n;
      for (;;) {
        if (pos >= data.length) throw new RangeError('ListResponse: truncated varint');
        const b = data[pos++]!;
        n |= BigInt(b & 0x7f) << shift;
        if (b < 0x80) break;
        shift += 7n;
      }
      m.remainingItemCount = BigInt.asIntN(64, n).toString();
    } else {
      return ListResponse.decode(data);
    }
  }
  return m;
}

/** The WatchCache client with list responses decoded by `decodeListResponseView`. */
export const ViewingWatchCacheClient = makeGenericClientConstructor(
  {
    ...WatchCacheService,
    list: { ...WatchCacheService.list, responseDeserialize: decodeListResponseView },
  },
  'splitplane.v1.WatchCache',
) as unknown as typeof WatchCacheClient;
