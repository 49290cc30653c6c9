// LIST from the watch-cache's StreamList. A plain JSON list is written while it arrives:
// the head as soon as the first piece names the list's size, then each piece's items. Any
// other form (Table, protobuf, YAML, pretty) needs every item decoded and is encoded at the
// end.
import type { ClientReadableStream } from '@grpc/grpc-js';
import { fromGrpcError } from '@splitplane/kit';
import type { ListPiece, ListRequest } from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import { serverStreamCall } from '../backends/server-stream.js';
import { encodeListObjects, isPlainJson, listMetaOf, negotiateFor } from '../negotiation/encode.js';
import { listOptions } from './options.js';
import { relayJsonList } from './list-relay.js';
import { type ResourceRequest, attributes, scopeOf, send } from './resource-request.js';

export async function handleList(r: ResourceRequest): Promise<void> {
  const format = negotiateFor(r.req, r.def);
  const request: ListRequest = { attributes: attributes(r), options: listOptions(r.query) };
  const client = r.deps.watchCache;
  const call = serverStreamCall(client, client.streamList, request, scopeOf(r));
  try {
    const pieces = piecesOf(call.stream);
    const first = await pieces.next();
    if (first.done) throw new Error('watch-cache ended StreamList without a piece');
    if (isPlainJson(r.req, format)) return await relayJsonList(r, format, first.value, pieces);
    const items = itemsOf(first.value);
    for await (const piece of pieces) items.push(...itemsOf(piece));
    const encoded = encodeListObjects(r.req, r.def, format, listMetaOf(first.value), items);
    send(r, 200, encoded, first.value.warnings);
  } finally {
    call.release();
  }
}

/** The stream's pieces, with gRPC failures as the callee's StatusErrors. */
async function* piecesOf(stream: ClientReadableStream<ListPiece>): AsyncGenerator<ListPiece> {
  try {
    for await (const piece of stream) yield piece as ListPiece;
  } catch (err) {
    throw fromGrpcError(err as Error, 'watch-cache');
  }
}

function itemsOf(piece: ListPiece): KubeObject[] {
  const json = piece.itemsJson.toString('utf8');
  if (json === '') return [];
  return JSON.parse(`[${json.startsWith(',') ? json.slice(1) : json}]`) as KubeObject[];
}
