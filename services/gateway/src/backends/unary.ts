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
  /** A request context: its cheap abort hook is used instead of `signal` when given. */
  abortable?: Abortable;
  auditId?: string;
}

export interface Abortable {
  onAbort(fn: () => void): () => void;
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

const NO_DEADLINE: Partial<CallOptions> = Object.freeze({});

/** The gRPC metadata every backend call of a request carries (its audit ID). */
export function metadataFor(scope: CallScope): Metadata {
  const metadata = new Metadata();
  if (scope.auditId) metadata.set('audit-id', scope.auditId);
  return metadata;
}

export function unaryCall<Req, Res>(
  client: Client,
  method: UnaryMethod<Req, Res>,
  request: Req,
  scope: CallScope,
  target: string,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const metadata = metadataFor(scope);
    const options: Partial<CallOptions> = scope.deadline
      ? { deadline: scope.deadline }
      : NO_DEADLINE;
    let release: (() => void) | undefined;
    const onAbort = () => pending.cancel();
    // grpc-js captures a stack trace (`new Error()`) on every unary call, only to append it
    // to error stacks; errors become StatusErrors here, which never show it. Starting the
    // call with stack capture off saves that per-call cost.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let pending: ClientUnaryCall;
    try {
      pending = method.call(client, request, metadata, options, (error, response) => {
        if (release) release();
        else scope.signal?.removeEventListener('abort', onAbort);
        if (error) reject(fromGrpcError(error, target));
        else resolve(response);
      });
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    if (scope.abortable) release = scope.abortable.onAbort(onAbort);
    else if (scope.signal?.aborted) pending.cancel();
    else scope.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
