// POST: decode the body (JSON/YAML/protobuf) to JSON and hand it to the registry.
import type { CreateRequest, WriteResponse } from '@splitplane/proto';
import { negotiateFor } from '../negotiation/encode.js';
import { decodeObjectBody } from '../negotiation/decode-body.js';
import { readBody } from '../negotiation/read-body.js';
import { unaryCall } from '../backends/unary.js';
import { writeOptions } from './options.js';
import { type ResourceRequest, attributes, scopeOf, sendObject } from './resource-request.js';

export async function handleCreate(r: ResourceRequest): Promise<void> {
  const opts = writeOptions(r.query, 'CreateOptions');
  negotiateFor(r.req, r.def);
  const body = await readBody(r.req, r.deps.maxRequestBodyBytes);
  const object = decodeObjectBody(body, r.req.headers['content-type'], r.def.kind);
  const request: CreateRequest = { attributes: attributes(r, opts), object };
  const client = r.deps.registry;
  const response = await unaryCall<CreateRequest, WriteResponse>(
    client,
    client.create,
    request,
    scopeOf(r),
    'registry',
  );
  sendObject(r, response, 201);
}
