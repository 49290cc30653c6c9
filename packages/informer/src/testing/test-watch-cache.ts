// A WatchCache gRPC server over a TestHistory: List answers the history's current state,
// Events its log. For informer tests that need exact control of 410s and gaps; the real
// watch-cache is exercised by informer.integration.test.ts.
import { filterFor } from '@splitplane/apimachinery';
import { dial, startGrpcServer, unary, type GrpcServerHandle } from '@splitplane/kit';
import {
  EventsResponse,
  ListResponse,
  WatchCacheClient,
  WatchCacheService,
  type EventsRequest,
  type ListRequest,
} from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import type { TestHistory } from './test-history.js';

export interface TestWatchCache {
  client: WatchCacheClient;
  readonly listCalls: number;
  stop(): Promise<void>;
}

const unimplemented = () => {
  throw new Error('not served by the test watch-cache');
};

export async function startTestWatchCache(history: TestHistory): Promise<TestWatchCache> {
  const counts = { list: 0 };
  const server: GrpcServerHandle = await startGrpcServer('127.0.0.1:0', [
    {
      name: 'splitplane.v1.WatchCache',
      definition: WatchCacheService,
      implementation: {
        get: unary(async () => unimplemented()),
        watch: () => unimplemented(),
        list: unary(async (req: ListRequest) => {
          counts.list++;
          if (history.down) throw new Error('down');
          const options = req.options!;
          const filter = filterFor(
            { group: '', kind: 'ConfigMap', namespaced: true, selectableFields: [] },
            options.labelSelector,
            options.fieldSelector,
          );
          const ns = req.attributes?.namespace ?? '';
          const items = [...history.state().entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .filter(([key, obj]) => {
              if (ns && !key.startsWith(`${ns}/`)) return false;
              return filter.matches(JSON.parse(obj.toString('utf8')) as KubeObject);
            })
            .map(([, obj]) => obj);
          // Continue tokens are offsets: the history does not change between pages in tests.
          const offset = Number(options.continue || 0);
          const limit = Number(options.limit || 0) || items.length;
          const page = items.slice(offset, offset + limit);
          const next = offset + limit < items.length ? String(offset + limit) : '';
          return ListResponse.fromPartial({
            items: page,
            resourceVersion: history.revision.toString(),
            continue: next,
          });
        }),
        events: unary(async (req: EventsRequest) => {
          const answer = await history.watchEvents(
            BigInt(req.fromRv),
            req.toRv ? BigInt(req.toRv) : undefined,
          );
          return EventsResponse.fromPartial({
            events: answer.events,
            throughRv: answer.through.toString(),
          });
        }),
      },
    },
  ]);
  const client = dial(WatchCacheClient, `127.0.0.1:${server.port}`);
  return {
    client,
    get listCalls() {
      return counts.list;
    },
    stop: async () => {
      client.close();
      await server.stop(100);
    },
  };
}
