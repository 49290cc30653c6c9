// GET one object from the watch-cache (consistent read unless resourceVersion says
// otherwise). Computed subresources (scale) come from the registry, which owns them.
import type { GetRequest, ObjectResponse } from '@splitplane/proto';
import { negotiateFor } from '../negotiation/encode.js';
import { unaryCall } from '../backends/unary.js';
import { type ResourceRequest, attributes, scopeOf, sendObject } from './resource-request.js';
import { getFromRegistry } from './registry-get.js';

export async function handleGet(r: ResourceRequest): Promise<void> {
  // Negotiate before calling the backend so a 406 costs no hop.
  negotiateFor(r.req, r.def);
  let response: ObjectResponse;
  if (r.ctx.info.subresource === 'scale') {
    response = await getFromRegistry(r);
  } else {
    const request: GetRequest = {
      attributes: attributes(r),
      resourceVersion: r.query.get('resourceVersion') ?? '',
    };
    const client = r.deps.watchCache;
    response = await unaryCall<GetRequest, ObjectResponse>(
      client,
      client.get,
      request,
      scopeOf(r),
      'watch-cache',
    );
  }
  sendObject(r, response);
}
