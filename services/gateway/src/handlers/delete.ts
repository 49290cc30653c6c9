// DELETE one object through the registry. The answer is the object (still terminating, or
// as it was) or a Status when it is gone, with the code the registry chose (200/202).
import type { DeleteRequest, WriteResponse } from '@splitplane/proto';
import { negotiateFor } from '../negotiation/encode.js';
import { readBody } from '../negotiation/read-body.js';
import { unaryCall } from '../backends/unary.js';
import { deleteOptions } from './delete-options.js';
import { type ResourceRequest, attributes, scopeOf, sendObject } from './resource-request.js';

export async function handleDelete(r: ResourceRequest): Promise<void> {
  negotiateFor(r.req, r.def);
  const body = await readBody(r.req, r.deps.maxRequestBodyBytes);
  const options = deleteOptions(r.query, body, r.req.headers['content-type']);
  const request: DeleteRequest = {
    attributes: attributes(r, { dryRun: options.dryRun?.includes('All') ?? false }),
    options: Buffer.from(JSON.stringify(options)),
  };
  const client = r.deps.registry;
  const response = await unaryCall<DeleteRequest, WriteResponse>(
    client,
    client.delete,
    request,
    scopeOf(r),
    'registry',
  );
  sendObject(r, response);
}
