// Writes a plain JSON list while its StreamList pieces arrive: each piece's items_json is
// already a run of the "items" array, separating comma included, so it goes to the socket
// as it is. The first piece
// carries the list's totals, so the response has a Content-Length and a client can tell a
// cut list from a whole one. Once the head is out a failure can only cut the connection
// (writeStatus destroys a response whose headers were sent), as kube-apiserver does.
import type { Response } from 'express';
import type { ListPiece } from '@splitplane/proto';
import { LIST_TAIL, jsonListHead, listMetaOf } from '../negotiation/encode.js';
import type { OutputFormat } from '../negotiation/media-type.js';
import { addWarnings } from '../negotiation/warnings.js';
import type { ResourceRequest } from './resource-request.js';

// Bytes the response may hold unsent before the next piece waits for 'drain'.
const MAX_UNSENT_BYTES = 1024 * 1024;

export async function relayJsonList(
  r: ResourceRequest,
  format: OutputFormat,
  first: ListPiece,
  rest: AsyncIterable<ListPiece>,
): Promise<void> {
  const { res } = r;
  if (r.ctx.timedOut || res.headersSent) return;
  const totalItems = Number(first.totalItems);
  const totalBytes = Number(first.totalItemsJsonBytes);
  const head = jsonListHead(r.def, listMetaOf(first));
  addWarnings(res, first.warnings);
  res.status(200);
  res.setHeader('Content-Type', format.contentType);
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('Content-Length', String(head.length + totalBytes + LIST_TAIL.length));
  if (r.req.method === 'HEAD') {
    res.end();
    return;
  }
  res.write(head);
  let items = 0;
  let bytes = 0;
  const write = (piece: ListPiece) => {
    if (piece.itemsJson.length === 0) return;
    res.write(piece.itemsJson);
    items += piece.itemCount;
    bytes += piece.itemsJson.length;
  };
  write(first);
  for await (const piece of rest) {
    if (res.destroyed) return;
    if (res.writableLength > MAX_UNSENT_BYTES) await drained(res);
    write(piece);
  }
  if (items !== totalItems || bytes !== totalBytes) {
    throw new Error(
      `StreamList announced ${totalItems} items in ${totalBytes} bytes, sent ${items} in ${bytes}`,
    );
  }
  res.end(LIST_TAIL);
}

function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
