// Mutual TLS between the plane's services (DESIGN §1): every gRPC server demands a client
// certificate from the internal CA, and every client presents its own. One set of flags and
// one loader for every service, so the servers and the clients they dial always agree.
import { readFile } from 'node:fs/promises';
import { ChannelCredentials, ServerCredentials, credentials } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { FlagSpec } from './flags.js';

export const GRPC_TLS_FLAGS = {
  'grpc-tls-cert-file': {
    type: 'string',
    default: '',
    help: 'certificate (internal CA) this service serves gRPC with and presents to the services it calls; its CN names the service',
  },
  'grpc-tls-private-key-file': {
    type: 'string',
    default: '',
    help: 'private key of --grpc-tls-cert-file',
  },
  'grpc-client-ca-file': {
    type: 'string',
    default: '',
    help: 'internal CA bundle: callers must present a certificate it signed, and the services this one calls must serve one; without the three --grpc-* TLS flags gRPC runs in plaintext (local dev only)',
  },
} as const satisfies Record<string, FlagSpec>;

export type GrpcTlsFlags = { [K in keyof typeof GRPC_TLS_FLAGS]: string };

/** PEM material of one service's internal identity. */
export interface GrpcTlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}

/** What a service serves with and dials with; `secure` is false in plaintext mode. */
export interface GrpcCredentials {
  secure: boolean;
  server: ServerCredentials;
  client: ChannelCredentials;
}

export class GrpcTlsFlagError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GrpcTlsFlagError';
  }
}

let warnedInsecure = false;

/** Plaintext on both sides: unit and integration tests start services this way. */
export function insecureGrpcCredentials(): GrpcCredentials {
  return {
    secure: false,
    server: ServerCredentials.createInsecure(),
    client: credentials.createInsecure(),
  };
}

/** Mutual TLS: the server requires a client certificate signed by `ca`. */
export function grpcCredentialsFromPem(material: GrpcTlsMaterial): GrpcCredentials {
  return {
    secure: true,
    server: ServerCredentials.createSsl(
      material.ca,
      [{ cert_chain: material.cert, private_key: material.key }],
      true,
    ),
    client: credentials.createSsl(material.ca, material.key, material.cert),
  };
}

/**
 * Reads GRPC_TLS_FLAGS. All three flags, or none: none runs plaintext and warns once per
 * process; some but not all is an error rather than a silent downgrade.
 */
export async function grpcCredentialsFromFlags(
  flags: GrpcTlsFlags,
  log?: Logger,
): Promise<GrpcCredentials> {
  const certFile = flags['grpc-tls-cert-file'];
  const keyFile = flags['grpc-tls-private-key-file'];
  const caFile = flags['grpc-client-ca-file'];
  const given = [certFile, keyFile, caFile].filter(Boolean).length;
  if (given === 0) {
    if (!warnedInsecure) {
      warnedInsecure = true;
      log?.warn(
        'gRPC runs without TLS: any local process can call this service and assert any user; set --grpc-tls-cert-file, --grpc-tls-private-key-file and --grpc-client-ca-file outside local tests',
      );
    }
    return insecureGrpcCredentials();
  }
  if (given !== 3) {
    throw new GrpcTlsFlagError(
      '--grpc-tls-cert-file, --grpc-tls-private-key-file and --grpc-client-ca-file go together',
    );
  }
  const read = async (flag: string, path: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (err) {
      throw new GrpcTlsFlagError(`--${flag}: cannot read ${path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  };
  // One after the other, so an error always names the first unreadable flag.
  const cert = await read('grpc-tls-cert-file', certFile);
  const key = await read('grpc-tls-private-key-file', keyFile);
  const ca = await read('grpc-client-ca-file', caFile);
  try {
    return grpcCredentialsFromPem({ cert, key, ca });
  } catch (err) {
    throw new GrpcTlsFlagError(`unusable gRPC TLS files: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
