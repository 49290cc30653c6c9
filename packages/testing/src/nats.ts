import { join } from 'node:path';
import { findBinary, freePorts } from '@splitplane/kit';
import { httpGet } from './http-probe.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { restartable, type Restartable } from './restartable.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

export interface StartNatsOptions {
  /** Program to run; default `nats-server` from PATH, then /usr/sbin/nats-server. */
  binary?: string;
  /** Enable JetStream (default true), storing under the temp dir. */
  jetstream?: boolean;
  port?: number;
  monitorPort?: number;
  /** Use this JetStream store dir instead of a fresh temp one; it is then never removed. */
  storeDir?: string;
  extraArgs?: readonly string[];
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
}

/** A running nats-server on loopback, owned by the test that started it. */
export interface NatsHandle extends Restartable {
  /** Client URL, e.g. nats://127.0.0.1:42220 */
  readonly url: string;
  readonly port: number;
  /** HTTP monitoring endpoint, e.g. http://127.0.0.1:8222 */
  readonly monitorUrl: string;
  /** JetStream store dir. */
  readonly dataDir: string;
  readonly logFile: string;
}

const LOOPBACK = '127.0.0.1';

/** Starts nats-server (JetStream on by default) and waits until /healthz answers ok. */
export async function startNats(opts: StartNatsOptions = {}): Promise<NatsHandle> {
  const binary = await findBinary(opts.binary ?? 'nats-server', {
    // Debian installs it in sbin, which is often not on a non-root PATH.
    fallbackPaths: ['/usr/sbin/nats-server', '/usr/bin/nats-server'],
    debianPackage: 'nats-server',
  });
  const root = await makeTempDir('nats');
  const dataDir = opts.storeDir ?? join(root, 'jetstream');
  const logFile = join(root, 'nats.log');
  const [p, m] = await freePorts(2);
  const port = opts.port ?? p!;
  const monitorPort = opts.monitorPort ?? m!;
  const monitorUrl = `http://${LOOPBACK}:${monitorPort}`;

  const args = [
    '-a',
    LOOPBACK,
    '-p',
    String(port),
    '-m',
    String(monitorPort),
    ...(opts.jetstream === false ? [] : ['-js', '-sd', dataDir]),
    ...(opts.extraArgs ?? []),
  ];

  const spawnNats = () =>
    spawnManaged(binary, args, {
      name: 'nats-server',
      env: { ...process.env, ...opts.env },
      logFile,
      readyCheck: () => natsHealthy(monitorUrl),
      readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
    });

  let proc: ManagedProcess;
  try {
    proc = await spawnNats();
  } catch (err) {
    await removeTempDir(root);
    throw err;
  }

  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  return Object.assign(restartable(proc, spawnNats, root, stopTimeoutMs), {
    url: `nats://${LOOPBACK}:${port}`,
    port,
    monitorUrl,
    dataDir,
    logFile,
  });
}

/** /healthz answers {"status":"ok"} once the server, and JetStream if enabled, is up. */
async function natsHealthy(monitorUrl: string): Promise<boolean> {
  const { status, body } = await httpGet(`${monitorUrl}/healthz`);
  return status === 200 && (JSON.parse(body) as { status?: unknown }).status === 'ok';
}
