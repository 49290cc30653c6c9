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

export async function startGrpcServer(
  address: string,
  services: ServiceRegistration[],
  credentials: ServerCredentials = ServerCredentials.createInsecure(),
): Promise<GrpcServerHandle> {
  const server = new Server({
    'grpc.max_receive_message_length': GRPC_MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': GRPC_MAX_MESSAGE_BYTES,
  });
  const statusMap: Record<string, 'SERVING'> = { '': 'SERVING' };
  for (const service of services) {
    server.addService(service.definition, service.implementation);
    statusMap[service.name] = 'SERVING';
  }
  const health = new HealthImplementation(statusMap);
  health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, credentials, (err, boundPort) =>
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
