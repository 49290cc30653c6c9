// NATS glue shared by the watch-cache (publisher) and every subscriber (gateways,
// informers): one way to connect, and one subject per resource (DESIGN §4).
import { readFile } from 'node:fs/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { FlagSpec } from './flags.js';

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

/**
 * How a service authenticates to NATS and verifies it. Local dev runs NATS on loopback
 * without either; a deployment must set them (NATS carries Secrets).
 */
export const NATS_CLIENT_FLAGS = {
  'nats-ca-file': {
    type: 'string',
    default: '',
    help: 'CA bundle that verifies the NATS server; setting it requires TLS',
  },
  'nats-cert-file': {
    type: 'string',
    default: '',
    help: 'client certificate for mutual TLS with NATS (with --nats-key-file)',
  },
  'nats-key-file': { type: 'string', default: '', help: 'private key of --nats-cert-file' },
  'nats-user': { type: 'string', default: '', help: 'NATS user name' },
  'nats-password-file': {
    type: 'string',
    default: '',
    help: 'file holding the password of --nats-user (kept off the command line)',
  },
} as const satisfies Record<string, FlagSpec>;

export type NatsClientFlags = { [K in keyof typeof NATS_CLIENT_FLAGS]: string };

export class NatsFlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NatsFlagError';
  }
}

/** The TLS and credential part of NatsConnectOptions, from NATS_CLIENT_FLAGS. */
export async function natsSecurityFromFlags(
  flags: NatsClientFlags,
): Promise<Pick<NatsConnectOptions, 'tls' | 'user' | 'pass'>> {
  const ca = flags['nats-ca-file'];
  const cert = flags['nats-cert-file'];
  const key = flags['nats-key-file'];
  if (Boolean(cert) !== Boolean(key))
    throw new NatsFlagError('--nats-cert-file and --nats-key-file go together');
  if (flags['nats-password-file'] && !flags['nats-user'])
    throw new NatsFlagError('--nats-password-file needs --nats-user');
  const tls =
    ca || cert
      ? { ...(ca ? { caFile: ca } : {}), ...(cert ? { certFile: cert, keyFile: key } : {}) }
      : undefined;
  const user = flags['nats-user'];
  const pass = flags['nats-password-file']
    ? (await readFile(flags['nats-password-file'], 'utf8')).trim()
    : undefined;
  return {
    ...(tls ? { tls } : {}),
    ...(user ? { user, ...(pass !== undefined ? { pass } : {}) } : {}),
  };
}
