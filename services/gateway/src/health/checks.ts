// Named health checks, as kube's healthz package has them. Readiness reflects every
// downstream service through grpc.health.v1, plus etcd itself when --etcd-servers is given.
import { HealthChecker } from '@splitplane/kit';

export interface HealthCheck {
  name: string;
  /** Resolves when healthy; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export const pingCheck: HealthCheck = { name: 'ping', check: async () => {} };

/** Checks a gRPC service's grpc.health.v1 status ('' = the whole server). */
export function grpcCheck(
  name: string,
  checker: HealthChecker,
  service = '',
  timeoutMs = 2000,
): HealthCheck {
  return {
    name,
    async check() {
      if (!(await checker.check(service, timeoutMs))) throw new Error(`${name} is not serving`);
    },
  };
}

/** etcd's own /health endpoint on its client URL (any one member answering healthy passes). */
export function etcdCheck(servers: string[], timeoutMs = 2000): HealthCheck {
  return {
    name: 'etcd',
    async check() {
      const errors: string[] = [];
      for (const server of servers) {
        try {
          const res = await fetch(new URL('/health', server), {
            signal: AbortSignal.timeout(timeoutMs),
          });
          const body = (await res.json()) as { health?: string };
          if (res.ok && body.health === 'true') return;
          errors.push(`${server}: unhealthy`);
        } catch (err) {
          errors.push(`${server}: ${(err as Error).message}`);
        }
      }
      throw new Error(`etcd unhealthy: ${errors.join('; ')}`);
    },
  };
}

/** Fails once shutdown has begun, so load balancers drain this replica. */
export function shutdownCheck(isShuttingDown: () => boolean): HealthCheck {
  return {
    name: 'shutdown',
    async check() {
      if (isShuttingDown()) throw new Error('process is shutting down');
    },
  };
}
