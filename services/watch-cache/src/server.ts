// The WatchCache gRPC service. Until issue #3 adds the in-memory cache and event window,
// every read goes to etcd and every watch has its own etcd watch.
import { type ServerWritableStream, status as GrpcCode } from '@grpc/grpc-js';
import { unary, toGrpcError, type ServiceRegistration } from '@splitplane/kit';
import {
  WatchCacheService,
  type EventsRequest,
  type EventsResponse,
  type GetRequest,
  type ListRequest,
  type ListResponse,
  type ObjectResponse,
  type WatchEvent,
  type WatchRequest,
} from '@splitplane/proto';
import type { Scheme } from '@splitplane/scheme';
import type { EtcdStorage } from '@splitplane/storage';
import { filterFor } from '@splitplane/apimachinery';
import { createReadService } from './read/index.js';
import { resolveResource } from './resolve.js';
import { serveWatch } from './watch.js';

export function watchCacheService(scheme: Scheme, storage: EtcdStorage): ServiceRegistration {
  const reads = createReadService({ scheme, storage });
  return {
    name: 'splitplane.v1.WatchCache',
    definition: WatchCacheService,
    implementation: {
      get: unary<GetRequest, ObjectResponse>((request, call) =>
        reads.get(request, deadlineOf(call.getDeadline())),
      ),
      list: unary<ListRequest, ListResponse>((request, call) =>
        reads.list(request, deadlineOf(call.getDeadline())),
      ),
      events: unary<EventsRequest, EventsResponse>(async () => {
        // TODO(#3): serve (from_rv, to_rv] from the watch-cache's event window.
        throw Object.assign(
          new Error('Events is served once the event window of issue #3 exists'),
          {
            code: GrpcCode.UNIMPLEMENTED,
          },
        );
      }),
      watch: (stream: ServerWritableStream<WatchRequest, WatchEvent>) => {
        const run = async () => {
          const attributes = stream.request.attributes;
          const def = resolveResource(scheme, attributes?.resource);
          const options = stream.request.options;
          const filter = filterFor(def, options?.labelSelector ?? '', options?.fieldSelector ?? '');
          await serveWatch(storage, stream, {
            def,
            namespace: attributes?.namespace ?? '',
            filter,
          });
        };
        run().catch((err: unknown) =>
          stream.destroy(Object.assign(new Error('watch failed'), toGrpcError(err))),
        );
      },
    },
  };
}

const deadlineOf = (deadline: Date | number): Date | undefined =>
  deadline instanceof Date ? deadline : undefined;
