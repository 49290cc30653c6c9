// Reads of computed subresources (scale) go to the registry, which owns their conversion.
// The registry's `Get(GetRequest) returns (ObjectResponse)` RPC is being added to
// proto/splitplane/v1/registry.proto; until its generated method exists this calls the
// same wire method by path with the shared GetRequest/ObjectResponse messages.
import type { CallOptions, ClientUnaryCall, Metadata, ServiceError } from '@grpc/grpc-js';
import { GetRequest, ObjectResponse } from '@splitplane/proto';
import { unaryCall } from '../backends/unary.js';
import { type ResourceRequest, scopeOf } from './resource-request.js';

export const REGISTRY_GET_PATH = '/splitplane.v1.Registry/Get';

export function getFromRegistry(r: ResourceRequest, request: GetRequest): Promise<ObjectResponse> {
  const client = r.deps.registry;
  const method = (
    req: GetRequest,
    metadata: Metadata,
    options: Partial<CallOptions>,
    callback: (err: ServiceError | null, res: ObjectResponse) => void,
  ): ClientUnaryCall =>
    client.makeUnaryRequest<GetRequest, ObjectResponse>(
      REGISTRY_GET_PATH,
      (v) => Buffer.from(GetRequest.encode(v).finish()),
      (b) => ObjectResponse.decode(b),
      req,
      metadata,
      options,
      (err, res) => callback(err, res as ObjectResponse),
    );
  return unaryCall<GetRequest, ObjectResponse>(client, method, request, scopeOf(r), 'registry');
}
