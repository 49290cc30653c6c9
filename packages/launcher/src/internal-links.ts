// Secures the links inside the plane (DESIGN §1, §4): gRPC with mutual TLS from the internal
// CA, each service presenting its own certificate (CN = its name, which is how a callee knows
// that only the gateway may assert users), and NATS with TLS, a client certificate and a
// password, since it carries object contents, Secrets included.
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type GrpcCredentials, grpcCredentialsFromPem } from '@splitplane/kit';
import { INTERNAL_SERVICES, type DevPki, type InternalService } from '@splitplane/pki';

/** The one NATS user every service connects as. */
export const NATS_USER = 'splitplane';

export interface NatsAuthPaths {
  /** The password alone, for kit's --nats-password-file (0600). */
  passwordFile: string;
  /** nats-server's configuration: TLS and the user (0600: it holds the password). */
  configFile: string;
}

export function natsAuthPaths(dataDir: string): NatsAuthPaths {
  return {
    passwordFile: join(dataDir, 'nats-password'),
    configFile: join(dataDir, 'nats.conf'),
  };
}

/**
 * Writes the NATS password (once: a restarted plane keeps it) and nats-server's config,
 * which is rewritten every time so it always points at the current certificates.
 */
export async function ensureNatsAuth(dataDir: string, pki: DevPki): Promise<NatsAuthPaths> {
  const paths = natsAuthPaths(dataDir);
  let password = await readSecret(paths.passwordFile);
  if (!password) {
    password = randomBytes(24).toString('base64url');
    await writeSecret(paths.passwordFile, `${password}\n`);
  }
  await writeSecret(paths.configFile, natsConfig(pki, password));
  return paths;
}

function natsConfig(pki: DevPki, password: string): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    '# Written by splitplane up; rewritten on every start.',
    'tls {',
    `  cert_file: ${q(pki.nats.cert)}`,
    `  key_file: ${q(pki.nats.key)}`,
    `  ca_file: ${q(pki.internalCa.cert)}`,
    // Clients must present an internal certificate as well as the password.
    '  verify: true',
    // The 0.5 s default is too short for a handshake on a loaded 2-core machine.
    '  timeout: 5',
    '}',
    'authorization {',
    `  user: ${q(NATS_USER)}`,
    `  password: ${q(password)}`,
    '}',
    '',
  ].join('\n');
}

async function readSecret(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writeSecret(path: string, content: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

function isInternalService(name: string): name is InternalService {
  return (INTERNAL_SERVICES as readonly string[]).includes(name);
}

/** The --grpc-tls-* flags of an internal service: its own certificate, the internal CA. */
export function grpcTlsArgs(service: string, pki: DevPki): string[] {
  if (!isInternalService(service)) return [];
  const own = pki.services[service];
  return [
    `--grpc-tls-cert-file=${own.cert}`,
    `--grpc-tls-private-key-file=${own.key}`,
    `--grpc-client-ca-file=${pki.internalCa.cert}`,
  ];
}

/** kit's NATS_CLIENT_FLAGS for a service that connects to NATS (it has --nats-servers). */
export function natsClientArgs(service: string, pki: DevPki, dataDir: string): string[] {
  if (!isInternalService(service)) return [];
  const own = pki.services[service];
  return [
    `--nats-ca-file=${pki.internalCa.cert}`,
    `--nats-cert-file=${own.cert}`,
    `--nats-key-file=${own.key}`,
    `--nats-user=${NATS_USER}`,
    `--nats-password-file=${natsAuthPaths(dataDir).passwordFile}`,
  ];
}

/** What the launcher's own gRPC health probes present (CN=launcher). */
export async function launcherGrpcCredentials(pki: DevPki): Promise<GrpcCredentials> {
  const [cert, key, ca] = await Promise.all([
    readFile(pki.launcher.cert),
    readFile(pki.launcher.key),
    readFile(pki.internalCa.cert),
  ]);
  return grpcCredentialsFromPem({ cert, key, ca });
}

/**
 * The flags that secure a component's links, given its base name and its own flags: gRPC
 * TLS for every internal service, NATS credentials for those that connect to NATS.
 */
export function securedLinkArgs(
  base: string,
  args: readonly string[],
  pki: DevPki,
  dataDir: string,
): string[] {
  const usesNats = args.some((a) => a.startsWith('--nats-servers='));
  return [...grpcTlsArgs(base, pki), ...(usesNats ? natsClientArgs(base, pki, dataDir) : [])];
}
