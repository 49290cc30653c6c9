// The watch-cache's List RPC called directly, without the gateway: the component issue #3
// is about. The client keeps the response as raw bytes (no protobuf decode) so its own
// work stays small; one decoded response checks the item count.
import {
  type ChannelCredentials,
  credentials,
  makeGenericClientConstructor,
  type Client,
} from '@grpc/grpc-js';
import { GRPC_CHANNEL_OPTIONS } from '@splitplane/kit';
import { ListResponse, WatchCacheService, type ListRequest } from '@splitplane/proto';

const RawListClient = makeGenericClientConstructor(
  {
    list: {
      ...WatchCacheService.list,
      responseDeserialize: (bytes: Buffer): Buffer => bytes,
    },
  },
  'splitplane.v1.WatchCache',
);

export interface GrpcLister {
  /** One List of every pod; resolves with the response's size in bytes. */
  list(): Promise<number>;
  /** One List, decoded: the number of items. */
  count(): Promise<number>;
  close(): void;
}

const PODS: ListRequest = {
  attributes: {
    user: undefined,
    resource: { group: '', version: 'v1', resource: 'pods' },
    namespace: '',
    name: '',
    subresource: '',
    dryRun: false,
    fieldManager: '',
    fieldValidation: '',
    auditId: '',
  },
  options: {
    labelSelector: '',
    fieldSelector: '',
    resourceVersion: '',
    resourceVersionMatch: '',
    limit: '',
    continue: '',
    allowWatchBookmarks: false,
    timeoutSeconds: '',
  },
};

/** Dials the watch-cache at `address` (host:port) with `creds` (an internal certificate in a launched plane). */
export function grpcLister(
  address: string,
  creds: ChannelCredentials = credentials.createInsecure(),
): GrpcLister {
  const client = new RawListClient(
    address,
    creds,
    // The receive window the gateway uses for the watch-cache (16 MiB).
    { ...GRPC_CHANNEL_OPTIONS, 'grpc-node.flow_control_window': 16 * 2 ** 20 },
  ) as unknown as Client & {
    list(
      req: ListRequest,
      options: { deadline: Date },
      cb: (err: Error | null, res: Buffer) => void,
    ): void;
  };
  const raw = () =>
    new Promise<Buffer>((resolve, reject) =>
      client.list(PODS, { deadline: new Date(Date.now() + 60_000) }, (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
  return {
    list: async () => (await raw()).length,
    count: async () => ListResponse.decode(await raw()).items.length,
    close: () => client.close(),
  };
}
