// grpc.health.v1 client, used by the gateway's /readyz and by the launcher to wait for
// services. It reuses the proto that grpc-health-check ships.
import {
  credentials as grpcCredentials,
  loadPackageDefinition,
  type ChannelCredentials,
  type Client,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';
import { channelCredentials } from './grpc-client.js';
import type { GrpcCredentials } from './grpc-tls.js';

type HealthCheck = (
  request: { service: string },
  options: { deadline: Date },
  callback: (error: Error | null, response: { status: string }) => void,
) => void;
type HealthClient = Client & { check: HealthCheck };
type HealthClientConstructor = new (
  target: string,
  credentials: ChannelCredentials,
) => HealthClient;

let constructorCache: HealthClientConstructor | undefined;

function healthClientConstructor(): HealthClientConstructor {
  if (!constructorCache) {
    const definition = loadSync(protoPath, { keepCase: true, enums: String, defaults: true });
    const pkg = loadPackageDefinition(definition) as unknown as {
      grpc: { health: { v1: { Health: HealthClientConstructor } } };
    };
    constructorCache = pkg.grpc.health.v1.Health;
  }
  return constructorCache;
}

export class HealthChecker {
  private readonly client: HealthClient;

  constructor(
    target: string,
    credentials: ChannelCredentials | GrpcCredentials = grpcCredentials.createInsecure(),
  ) {
    this.client = new (healthClientConstructor())(target, channelCredentials(credentials));
  }

  /** Resolves true when the service reports SERVING within `timeoutMs`. */
  check(service = '', timeoutMs = 2000): Promise<boolean> {
    return new Promise((resolve) => {
      this.client.check({ service }, { deadline: new Date(Date.now() + timeoutMs) }, (err, res) =>
        resolve(!err && res?.status === 'SERVING'),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
