import { join } from 'node:path';
import { findBinary, freePorts } from '@splitplane/kit';
import { httpGet } from './http-probe.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { restartable, type Restartable } from './restartable.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

export interface StartEtcdOptions {
  /** Program to run; default `etcd` from PATH, then /usr/bin/etcd. */
  binary?: string;
  /** Use this data dir instead of a fresh temp one; it is then never removed. */
  dataDir?: string;
  clientPort?: number;
  peerPort?: number;
  /**
   * `--experimental-watch-progress-notify-interval` in ms. Watchers idle this long get a
   * progress notification carrying the current revision. Default 5 s, so a watch-cache under
   * test learns of revisions it did not see promptly; etcd's own default is 10 min.
   */
  progressNotifyIntervalMs?: number;
  /** Appended after our flags. */
  extraArgs?: readonly string[];
  /** Added to the environment (ETCD_* variables of this process are not inherited). */
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
}

/** A running single-member etcd on loopback, owned by the test that started it. */
export interface EtcdHandle extends Restartable {
  /** Client URL, e.g. http://127.0.0.1:23790 */
  readonly endpoint: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly dataDir: string;
  readonly logFile: string;
}

const LOOPBACK = '127.0.0.1';

/** Starts etcd on free loopback ports in a temp dir and waits until /health reports healthy. */
export async function startEtcd(opts: StartEtcdOptions = {}): Promise<EtcdHandle> {
  const binary = await findBinary(opts.binary ?? 'etcd', {
    fallbackPaths: ['/usr/bin/etcd'],
    debianPackage: 'etcd-server',
  });
  const root = await makeTempDir('etcd');
  const dataDir = opts.dataDir ?? join(root, 'data');
  const logFile = join(root, 'etcd.log');
  const [clientPort, peerPort] = await resolvePorts(opts);
  const clientUrl = `http://${LOOPBACK}:${clientPort}`;
  const peerUrl = `http://${LOOPBACK}:${peerPort}`;

  const args = [
    '--name=default',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=default=${peerUrl}`,
    '--initial-cluster-state=new',
    // 3.4 has no --unsafe-no-fsync. A single member elects itself after one election
    // timeout, so shorten it to make startup and restart fast; heartbeats go nowhere.
    '--heartbeat-interval=10',
    '--election-timeout=100',
    // Fewer entries between snapshots keeps WAL replay on restart short.
    '--snapshot-count=10000',
    `--experimental-watch-progress-notify-interval=${opts.progressNotifyIntervalMs ?? 5_000}ms`,
    '--logger=zap',
    '--log-outputs=stderr',
    ...(opts.extraArgs ?? []),
  ];
  const env = { ...withoutEtcdVars(process.env), ...opts.env };

  const spawnEtcd = () =>
    spawnManaged(binary, args, {
      name: 'etcd',
      env,
      logFile,
      readyCheck: () => etcdHealthy(clientUrl),
      readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
    });

  let proc: ManagedProcess;
  try {
    proc = await spawnEtcd();
  } catch (err) {
    await removeTempDir(root);
    throw err;
  }

  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  return Object.assign(restartable(proc, spawnEtcd, root, stopTimeoutMs), {
    endpoint: clientUrl,
    clientPort,
    peerPort,
    dataDir,
    logFile,
  });
}

async function resolvePorts(opts: StartEtcdOptions): Promise<[number, number]> {
  const [a, b] = await freePorts(2);
  return [opts.clientPort ?? a!, opts.peerPort ?? b!];
}

/** etcd answers /health with {"health":"true"} once it has a leader and can serve requests. */
async function etcdHealthy(clientUrl: string): Promise<boolean> {
  const { status, body } = await httpGet(`${clientUrl}/health`);
  if (status !== 200) return false;
  return (JSON.parse(body) as { health?: unknown }).health === 'true';
}

/** etcd reads every flag from ETCD_* too, and refuses to start when both are set. */
function withoutEtcdVars(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('ETCD_')));
}
