// NATS glue shared by the watch-cache (publisher) and every subscriber (gateways,
// informers): one way to connect, and one subject per resource (DESIGN §4).
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';

export type { NatsConnection, Msg, Subscription } from '@nats-io/transport-node';

export interface NatsConnectOptions {
  servers: readonly string[];
  /** Shows up in the server's connection list (`/connz`). */
  name: string;
  log?: Logger;
  /** NATS carries object contents, Secrets included: outside local dev use TLS and auth. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  user?: string;
  pass?: string;
  token?: string;
}

/**
 * Connects and keeps reconnecting for ever: a restarted nats-server must not take a
 * service down. Messages published while disconnected are lost, which subscribers detect
 * through the events' prevRv chain and heal.
 */
export async function connectNats(options: NatsConnectOptions): Promise<NatsConnection> {
  const nc = await connect({
    servers: [...options.servers],
    name: options.name,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 100,
    waitOnFirstConnect: true,
    pingInterval: 10_000,
    ...(options.tls ? { tls: { ...options.tls } } : {}),
    ...(options.user !== undefined ? { user: options.user, pass: options.pass ?? '' } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
  });
  if (options.log) {
    const log = options.log;
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect' || status.type === 'reconnect')
          log.info({ nats: status.type }, `nats ${status.type}`);
      }
    })();
  }
  return nc;
}

/** The subject a resource's watch events go to: `splitplane.events.<group|core>.<resource>`. */
export function eventsSubject(group: string, resource: string): string {
  return `splitplane.events.${group || 'core'}.${resource}`;
}
