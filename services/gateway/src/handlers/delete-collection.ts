// DELETE on a collection: ListOptions select, DeleteOptions apply to each; the registry
// answers with the list of deleted objects, as kube's store does.
import type { DeleteCollectionRequest, DeleteCollectionResponse } from '@splitplane/proto';
import { recordAuditAnnotations } from './audit-annotations.js';
import { encodeList, negotiateFor } from '../negotiation/encode.js';
import { readBody } from '../negotiation/read-body.js';
import { unaryCall } from '../backends/unary.js';
import { deleteOptions } from './delete-options.js';
import { listOptions } from './options.js';
import { type ResourceRequest, attributes, scopeOf, send } from './resource-request.js';

export async function handleDeleteCollection(r: ResourceRequest): Promise<void> {
  const format = negotiateFor(r.req, r.def);
  const list = listOptions(r.query);
  const body = await readBody(r.req, r.deps.maxRequestBodyBytes);
  const options = deleteOptions(r.query, body, r.req.headers['content-type']);
  const request: DeleteCollectionRequest = {
    attributes: attributes(r, { dryRun: options.dryRun?.includes('All') ?? false }),
    options: Buffer.from(JSON.stringify(options)),
    listOptions: list,
  };
  const client = r.deps.registry;
  const response = await unaryCall<DeleteCollectionRequest, DeleteCollectionResponse>(
    client,
    client.deleteCollection,
    request,
    scopeOf(r),
    'registry',
  );
  recordAuditAnnotations(r, response.auditAnnotations);
  send(r, 200, encodeList(r.req, r.def, format, response), response.warnings);
}
