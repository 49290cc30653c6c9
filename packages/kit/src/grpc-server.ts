// Starts a gRPC server with grpc.health.v1 and turns thrown errors into Status-carrying
// gRPC errors, so service code only writes `async (request) => response`.
import {
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
  type sendUnaryData,
  type ServerUnaryCall,
  type handleUnaryCall,
} from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { toGrpcError } from './grpc-status.js';
import { GRPC_MAX_MESSAGE_BYTES } from './grpc-options.js';
import { type CallWithAuthContext, enforceCallerIdentity } from './caller-identity.js';
import type { GrpcCredentials } from './grpc-tls.js';

export interface ServiceRegistration {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
  /** Fully qualified name, e.g. splitplane.v1.Registry, reported by the health service. */
  name: string;
}

export interface GrpcServerHandle {
  port: number;
  health: HealthImplementation;
  server: Server;
  /** Graceful shutdown, forced after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * `credentials` is what grpcCredentialsFromFlags returned (or bare ServerCredentials). Every
 * handler first applies the caller-identity rule (enforceCallerIdentity): over mutual TLS,
 * a user asserted by any caller but the gateway becomes the internal identity.
 */
export async function startGrpcServer(
  address: string,
  services: ServiceRegistration[],
  credentials: ServerCredentials | GrpcCredentials = ServerCredentials.createInsecure(),
): Promise<GrpcServerHandle> {
  const serverCredentials =
    credentials instanceof ServerCredentials ? credentials : credentials.server;
  const server = new Server({
    'grpc.max_receive_message_length': GRPC_MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': GRPC_MAX_MESSAGE_BYTES,
  });
  const statusMap: Record<string, 'SERVING'> = { '': 'SERVING' };
  for (const service of services) {
    server.addService(service.definition, withCallerIdentity(service.implementation));
    statusMap[service.name] = 'SERVING';
  }
  const health = new HealthImplementation(statusMap);
  health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, serverCredentials, (err, boundPort) =>
      err ? reject(err) : resolve(boundPort),
    ),
  );
  return {
    port,
    health,
    server,
    stop: (graceMs = 5000) =>
      new Promise<void>((resolve) => {
        for (const name of Object.keys(statusMap)) health.setStatus(name, 'NOT_SERVING');
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

type AnyHandler = (
  this: unknown,
  call: CallWithAuthContext & { request?: unknown },
  ...rest: unknown[]
) => unknown;

/** Wraps every handler so the request's asserted user obeys the caller-identity rule. */
function withCallerIdentity(
  implementation: UntypedServiceImplementation,
): UntypedServiceImplementation {
  const wrapped: UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(implementation)) {
    const original = handler as unknown as AnyHandler;
    wrapped[name] = ((call: CallWithAuthContext & { request?: unknown }, ...rest: unknown[]) => {
      try {
        // Client-streaming and bidi calls have no request yet; ours carry users only in unary
        // and server-streaming requests.
        if (call.request !== undefined) enforceCallerIdentity(call.request, call);
      } catch (err) {
        const callback = rest[0];
        const payload = toGrpcError(err);
        if (typeof callback === 'function') (callback as sendUnaryData<unknown>)(payload);
        else (call as unknown as { emit(e: string, v: unknown): void }).emit('error', payload);
        return undefined;
      }
      return original.call(implementation, call, ...rest);
    }) as unknown as UntypedServiceImplementation[string];
  }
  return wrapped;
}

/** Adapts an async handler to grpc-js, mapping any thrown error to a Status error. */
export function unary<Req, Res>(
  handler: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    handler(call.request, call).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toGrpcError(err)),
    );
  };
}
