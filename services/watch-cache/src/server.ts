// The WatchCache gRPC service: reads (from the cache when there is one) and the Events RPC
// from the cache's event windows. Watches themselves travel over NATS (DESIGN §4).
import { status as GrpcCode, type ServerWritableStream } from '@grpc/grpc-js';
import { toGrpcError, unary, type ServiceRegistration } from '@splitplane/kit';
import {
  WatchCacheService,
  type EventsRequest,
  type EventsResponse,
  type GetRequest,
  type ListRequest,
  type ListResponse,
  type ObjectResponse,
} from '@splitplane/proto';
import type { Scheme } from '@splitplane/scheme';
import type { EtcdStorage } from '@splitplane/storage';
import { createReadService } from './read/index.js';
import type { WatchCache } from './cache/index.js';
import { DEFAULT_EVENTS_WAIT_MS, serveEvents } from './events/index.js';
import { encodeListResponse } from './wire/list-response.js';
import { listPieces } from './wire/list-pieces.js';
import { reusingListPieceEncoder, type ListPieceSource } from './wire/list-piece.js';

/** Without a cache (--watch-cache=false) reads go to etcd and Events is UNIMPLEMENTED. */
export function watchCacheService(
  scheme: Scheme,
  storage: EtcdStorage,
  cache?: WatchCache,
): ServiceRegistration {
  const reads = createReadService({ scheme, storage, ...(cache ? { cache } : {}) });
  return {
    name: 'splitplane.v1.WatchCache',
    definition: WATCH_CACHE_DEFINITION,
    implementation: {
      get: unary<GetRequest, ObjectResponse>((request, call) =>
        reads.get(request, deadlineOf(call.getDeadline())),
      ),
      list: unary<ListRequest, ListResponse>((request, call) =>
        reads.list(request, deadlineOf(call.getDeadline())),
      ),
      streamList: (call: ServerWritableStream<ListRequest, ListPieceSource>) => {
        reads.list(call.request, deadlineOf(call.getDeadline())).then(
          (list) => writeAll(call, listPieces(list)),
          (err: unknown) => call.emit('error', toGrpcError(err)),
        );
      },
      events: unary<EventsRequest, EventsResponse>(async (request, call) => {
        if (!cache)
          throw Object.assign(new Error('Events needs the watch cache (--watch-cache=false)'), {
            code: GrpcCode.UNIMPLEMENTED,
          });
        const abort = new AbortController();
        const onCancel = () => abort.abort();
        call.once('cancelled', onCancel);
        try {
          return await serveEvents(
            cache,
            scheme,
            request,
            waitDeadline(call.getDeadline()),
            abort.signal,
          );
        } finally {
          call.off('cancelled', onCancel);
        }
      }),
    },
  };
}

// List responses are serialized by hand: one allocation, each cached item copied once.
const WATCH_CACHE_DEFINITION = {
  ...WatchCacheService,
  list: { ...WatchCacheService.list, responseSerialize: encodeListResponse },
  // Pieces are written as ListPieceSource: their items are joined only in the encoder, into
  // a buffer grpc-js copies at once (see reusingListPieceEncoder).
  streamList: { ...WatchCacheService.streamList, responseSerialize: reusingListPieceEncoder() },
} as const;

/** Writes every message, waiting for 'drain' when the peer is slow; stops if cancelled. */
function writeAll<T>(call: ServerWritableStream<unknown, T>, messages: Iterator<T>): void {
  const pump = (): void => {
    for (;;) {
      if (call.cancelled) return;
      const next = messages.next();
      if (next.done) {
        call.end();
        return;
      }
      if (!call.write(next.value)) {
        call.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

const deadlineOf = (deadline: Date | number): Date | undefined =>
  deadline instanceof Date ? deadline : undefined;

function waitDeadline(deadline: Date | number): number {
  // Answer a little before the caller gives up, so it gets the 504 rather than its own timeout.
  const ms = (deadline instanceof Date ? deadline.getTime() : deadline) - 100;
  return Math.min(Number.isFinite(ms) ? ms : Infinity, Date.now() + DEFAULT_EVENTS_WAIT_MS);
}
