// The watch-cache's StreamList RPC (what the gateway calls for LIST) called directly, without
// the gateway: the component issue #3 is about. The client keeps the pieces as raw bytes (no
// protobuf decode) so its own work stays small; one decoded LIST checks the item count.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  makeGenericClientConstructor,
  type ChannelCredentials,
  type Client,
  type ClientReadableStream,
} from '@grpc/grpc-js';
import { GRPC_CHANNEL_OPTIONS, grpcCredentialsFromPem } from '@splitplane/kit';
import { ensureDevPki } from '@splitplane/pki';
import { ListPiece, WatchCacheService, type ListRequest } from '@splitplane/proto';

const RawListClient = makeGenericClientConstructor(
  {
    streamList: {
      ...WatchCacheService.streamList,
      responseDeserialize: (bytes: Buffer): Buffer => bytes,
    },
  },
  'splitplane.v1.WatchCache',
);

export interface GrpcLister {
  /** One LIST of every pod; resolves with the size of its pieces in bytes. */
  list(): Promise<number>;
  /** One LIST, decoded: the number of items. */
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

/** The credentials the plane's gateways dial the watch-cache with (internal mutual TLS). */
export async function gatewayGrpcCredentials(dataDir: string): Promise<ChannelCredentials> {
  const pki = await ensureDevPki(join(dataDir, 'pki'));
  const [cert, key, ca] = await Promise.all(
    [pki.services.gateway.cert, pki.services.gateway.key, pki.internalCa.cert].map((f) =>
      readFile(f),
    ),
  );
  return grpcCredentialsFromPem({ cert: cert!, key: key!, ca: ca! }).client;
}

/** Dials the watch-cache at `address` (host:port) as a gateway does. */
export function grpcLister(address: string, credentials: ChannelCredentials): GrpcLister {
  const client = new RawListClient(
    address,
    credentials,
    // The receive window the gateway uses for the watch-cache (16 MiB).
    { ...GRPC_CHANNEL_OPTIONS, 'grpc-node.flow_control_window': 16 * 2 ** 20 },
  ) as unknown as Client & {
    streamList(req: ListRequest, options: { deadline: Date }): ClientReadableStream<Buffer>;
  };
  const pieces = async function* (): AsyncGenerator<Buffer> {
    const stream = client.streamList(PODS, { deadline: new Date(Date.now() + 60_000) });
    for await (const piece of stream) yield piece as Buffer;
  };
  return {
    list: async () => {
      let bytes = 0;
      for await (const piece of pieces()) bytes += piece.length;
      return bytes;
    },
    count: async () => {
      let items = 0;
      for await (const piece of pieces()) items += ListPiece.decode(piece).itemCount;
      return items;
    },
    close: () => client.close(),
  };
}
