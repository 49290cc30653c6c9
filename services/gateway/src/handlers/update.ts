// PUT: replace an object (or its status/scale subresource) through the registry.
import type { WriteResponse, UpdateRequest } from '@splitplane/proto';
import { negotiateFor } from '../negotiation/encode.js';
import { decodeObjectBody } from '../negotiation/decode-body.js';
import { readBody } from '../negotiation/read-body.js';
import { unaryCall } from '../backends/unary.js';
import { writeOptions } from './options.js';
import { type ResourceRequest, attributes, scopeOf, sendObject } from './resource-request.js';

export async function handleUpdate(r: ResourceRequest): Promise<void> {
  const opts = writeOptions(r.query, 'UpdateOptions');
  negotiateFor(r.req, r.def);
  const body = await readBody(r.req, r.deps.maxRequestBodyBytes);
  const kind = r.ctx.info.subresource === 'scale' ? 'Scale' : r.def.kind;
  const object = decodeObjectBody(body, r.req.headers['content-type'], kind);
  const request: UpdateRequest = { attributes: attributes(r, opts), object };
  const client = r.deps.registry;
  const response = await unaryCall<UpdateRequest, WriteResponse>(
    client,
    client.update,
    request,
    scopeOf(r),
    'registry',
  );
  sendObject(r, response);
}
