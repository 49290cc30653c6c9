// Reads of computed subresources (scale) go to the registry's Get, which builds them from
// the parent object; plain objects are read from the watch-cache.
import type { ObjectResponse, RegistryGetRequest } from '@splitplane/proto';
import { unaryCall } from '../backends/unary.js';
import { type ResourceRequest, attributes, scopeOf } from './resource-request.js';

export function getFromRegistry(r: ResourceRequest): Promise<ObjectResponse> {
  const client = r.deps.registry;
  return unaryCall<RegistryGetRequest, ObjectResponse>(
    client,
    client.get,
    { attributes: attributes(r) },
    scopeOf(r),
    'registry',
  );
}
