// Server-streaming gRPC calls bound to a request, as unaryCall binds unary ones: they carry
// the request's deadline and audit ID and are cancelled when the request aborts.
import type { CallOptions, Client, ClientReadableStream, Metadata } from '@grpc/grpc-js';
import { type CallScope, metadataFor } from './unary.js';

type ServerStreamMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
) => ClientReadableStream<Res>;

export interface BoundStream<Res> {
  stream: ClientReadableStream<Res>;
  /** Cancels the call if it is still running and detaches it from the request's abort. */
  release(): void;
}

export function serverStreamCall<Req, Res>(
  client: Client,
  method: ServerStreamMethod<Req, Res>,
  request: Req,
  scope: CallScope,
): BoundStream<Res> {
  const stream = method.call(
    client,
    request,
    metadataFor(scope),
    scope.deadline ? { deadline: scope.deadline } : {},
  );
  let finished = false;
  stream.on('status', () => (finished = true));
  // Consumers see errors while they read; one that arrives after they stopped (the cancel
  // below) must not become an uncaught 'error' event.
  stream.on('error', () => undefined);
  const cancel = () => {
    if (!finished) stream.cancel();
  };
  let detach: () => void = () => undefined;
  if (scope.abortable) detach = scope.abortable.onAbort(cancel);
  else if (scope.signal) {
    const signal = scope.signal;
    if (signal.aborted) cancel();
    signal.addEventListener('abort', cancel, { once: true });
    detach = () => signal.removeEventListener('abort', cancel);
  }
  return {
    stream,
    release() {
      cancel();
      detach();
    },
  };
}
