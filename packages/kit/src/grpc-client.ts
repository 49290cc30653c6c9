// Promise-based unary calls over generated grpc-js clients, with one deadline per request
// and Status errors restored from the callee.
import {
  type CallOptions,
  type ChannelCredentials,
  type Client,
  type ClientOptions,
  credentials as grpcCredentials,
  Metadata,
  type ServiceError,
} from '@grpc/grpc-js';
import { GRPC_CHANNEL_OPTIONS } from './grpc-options.js';
import { fromGrpcError } from './grpc-status.js';
import type { GrpcCredentials } from './grpc-tls.js';

export type ClientConstructor<C extends Client> = new (
  address: string,
  credentials: ChannelCredentials,
  options?: Partial<ClientOptions>,
) => C;

/** `credentials`: what grpcCredentialsFromFlags returned, or bare ChannelCredentials. */
export function dial<C extends Client>(
  Ctor: ClientConstructor<C>,
  target: string,
  credentials: ChannelCredentials | GrpcCredentials = grpcCredentials.createInsecure(),
): C {
  return new Ctor(target, channelCredentials(credentials), GRPC_CHANNEL_OPTIONS);
}

/** The client half of GrpcCredentials; bare ChannelCredentials pass through. */
export function channelCredentials(
  credentials: ChannelCredentials | GrpcCredentials,
): ChannelCredentials {
  return 'client' in credentials && 'server' in credentials ? credentials.client : credentials;
}

export interface CallContext {
  /** Absolute deadline shared by every hop of a request. */
  deadline?: Date;
  metadata?: Metadata;
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => unknown;

/** Calls `client[method]` and rejects with a StatusError on failure. */
export function call<Req, Res>(
  client: Client,
  method: UnaryMethod<Req, Res>,
  request: Req,
  context: CallContext = {},
  target = 'backend',
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const options: Partial<CallOptions> = context.deadline ? { deadline: context.deadline } : {};
    method.call(client, request, context.metadata ?? new Metadata(), options, (error, response) =>
      error ? reject(fromGrpcError(error, target)) : resolve(response),
    );
  });
}
