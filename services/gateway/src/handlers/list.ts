// LIST from the watch-cache; the response list is assembled from item bytes (see encode.ts).
import type { ListRequest, ListResponse } from '@splitplane/proto';
import { encodeList, negotiateFor } from '../negotiation/encode.js';
import { unaryCall } from '../backends/unary.js';
import { listOptions } from './options.js';
import { type ResourceRequest, attributes, scopeOf, send } from './resource-request.js';

export async function handleList(r: ResourceRequest): Promise<void> {
  const format = negotiateFor(r.req, r.def);
  const request: ListRequest = { attributes: attributes(r), options: listOptions(r.query) };
  const client = r.deps.watchCache;
  const response = await unaryCall<ListRequest, ListResponse>(
    client,
    client.list,
    request,
    scopeOf(r),
    'watch-cache',
  );
  send(r, 200, encodeList(r.req, r.def, format, response), response.warnings);
}
