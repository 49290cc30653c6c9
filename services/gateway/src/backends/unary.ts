// Unary gRPC calls bound to a request: they carry its deadline and are cancelled when the
// request aborts (timeout or client disconnect). Errors come back as StatusErrors.
import {
  type CallOptions,
  type Client,
  type ClientUnaryCall,
  Metadata,
  type ServiceError,
} from '@grpc/grpc-js';
import { fromGrpcError } from '@splitplane/kit';

export interface CallScope {
  deadline?: Date;
  signal?: AbortSignal;
  auditId?: string;
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

export function unaryCall<Req, Res>(
  client: Client,
  method: UnaryMethod<Req, Res>,
  request: Req,
  scope: CallScope,
  target: string,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const metadata = new Metadata();
    if (scope.auditId) metadata.set('audit-id', scope.auditId);
    const options: Partial<CallOptions> = scope.deadline ? { deadline: scope.deadline } : {};
    const onAbort = () => pending.cancel();
    const pending = method.call(client, request, metadata, options, (error, response) => {
      scope.signal?.removeEventListener('abort', onAbort);
      if (error) reject(fromGrpcError(error, target));
      else resolve(response);
    });
    if (scope.signal?.aborted) pending.cancel();
    else scope.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
