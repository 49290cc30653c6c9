// up / down / status: the local control plane as separate processes under one data dir.
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { freePorts } from '@splitplane/kit';
import { ADMIN_USER, ensureDevPki, writeKubeconfig } from '@splitplane/pki';
import { components, resolveCommand, type ExtraArgs, type Ports } from './components.js';
import { ensureNatsAuth } from './internal-links.js';
import { ensureServiceAccountKeys } from './service-account-keys.js';
import { LauncherError } from './errors.js';
import { isAlive, startProcess, stopProcess } from './processes.js';
import { probe, waitReady } from './readiness.js';
import {
  clearState,
  readState,
  writeState,
  type LauncherState,
  type ProcessRecord,
} from './state.js';

export { LauncherError };

export interface UpOptions {
  dataDir: string;
  /** Gateway replica 0's HTTPS port; 0 picks a free one. Other replicas always get free ports. */
  securePort: number;
  readyTimeoutMs: number;
  log: (line: string) => void;
  /** How many watch-cache processes to run (default 1). */
  watchCacheReplicas?: number;
  /** How many gateway processes to run (default 1). */
  gatewayReplicas?: number;
  /** Flags appended per component base name, e.g. `{ gateway: ['--goaway-chance=0.1'] }`. */
  extraArgs?: ExtraArgs;
}

export async function up(options: UpOptions): Promise<LauncherState> {
  const dataDir = resolve(options.dataDir);
  const watchCacheReplicas = replicas(options.watchCacheReplicas, 'watch-cache');
  const gatewayReplicas = replicas(options.gatewayReplicas, 'gateway');
  const existing = await readState(dataDir);
  if (existing?.processes.some((p) => isAlive(p.pid))) {
    throw new LauncherError(
      `a control plane is already running from ${dataDir}; run 'splitplane down' first`,
    );
  }
  await mkdir(dataDir, { recursive: true });
  const pki = await ensureDevPki(join(dataDir, 'pki'));
  await ensureNatsAuth(dataDir, pki);
  await ensureServiceAccountKeys(dataDir);
  const ports = await allocatePorts(options.securePort, watchCacheReplicas, gatewayReplicas);
  const plan = components(dataDir, ports, pki, options.extraArgs);
  // Resolve every binary before starting anything, so a missing one is a one-line error.
  const commands = await Promise.all(plan.map((c) => resolveCommand(c)));

  const kubeconfig = join(dataDir, 'kubeconfig');
  const state: LauncherState = { ports, kubeconfig, processes: [] };
  try {
    for (const stage of [...new Set(plan.map((c) => c.stage))].sort((a, b) => a - b)) {
      const members = plan.flatMap((component, index) =>
        component.stage === stage ? [{ component, command: commands[index]! }] : [],
      );
      const started = await Promise.all(
        members.map(async ({ component, command }) => {
          const record = await startProcess(
            component.name,
            command,
            component.args,
            join(dataDir, 'logs'),
          );
          state.processes.push(record);
          return { component, record };
        }),
      );
      const order = (name: string) => plan.findIndex((c) => c.name === name);
      state.processes.sort((a, b) => order(a.name) - order(b.name));
      await writeState(dataDir, state);
      await Promise.all(
        started.map(async ({ component, record }) => {
          await waitReady(component, record, pki, options.readyTimeoutMs);
          options.log(`  ${component.name.padEnd(14)} ready (pid ${record.pid})`);
        }),
      );
    }
  } catch (err) {
    await stopAll(state.processes);
    await clearState(dataDir);
    throw err;
  }
  await writeKubeconfig(kubeconfig, {
    server: `https://127.0.0.1:${ports.gateway}`,
    caPem: await readFile(pki.ca.cert, 'utf8'),
    certPem: await readFile(pki.admin.cert, 'utf8'),
    keyPem: await readFile(pki.admin.key, 'utf8'),
    user: ADMIN_USER,
    context: 'splitplane',
  });
  return state;
}

export async function down(dataDir: string): Promise<ProcessRecord[]> {
  const state = await readState(resolve(dataDir));
  if (!state) return [];
  await stopAll(state.processes);
  await clearState(resolve(dataDir));
  return state.processes;
}

export interface ComponentStatus {
  name: string;
  pid: number;
  running: boolean;
  ready: boolean;
}

export async function status(dataDir: string): Promise<ComponentStatus[] | undefined> {
  const absolute = resolve(dataDir);
  const state = await readState(absolute);
  if (!state) return undefined;
  const pki = await ensureDevPki(join(absolute, 'pki'));
  const plan = new Map(components(absolute, state.ports, pki).map((c) => [c.name, c]));
  return Promise.all(
    state.processes.map(async (p) => {
      const running = isAlive(p.pid);
      const component = plan.get(p.name);
      const ready = running && component !== undefined && (await probe(component.readiness, pki));
      return { name: p.name, pid: p.pid, running, ready };
    }),
  );
}

/** Stops in reverse start order: the gateways first, etcd last. */
async function stopAll(processes: ProcessRecord[]): Promise<void> {
  for (const p of [...processes].reverse()) await stopProcess(p.pid);
}

function replicas(count: number | undefined, what: string): number {
  const n = count ?? 1;
  if (!Number.isInteger(n) || n < 1) {
    throw new LauncherError(`${what} replicas must be a whole number of at least 1, not ${n}`);
  }
  return n;
}

async function allocatePorts(
  securePort: number,
  watchCacheReplicas: number,
  gatewayReplicas: number,
): Promise<Ports> {
  const free = await freePorts(7 + watchCacheReplicas + gatewayReplicas);
  const next = () => free.shift()!;
  const [etcdClient, etcdPeer, nats, natsMonitor, admission, authz, registry] = [
    next(),
    next(),
    next(),
    next(),
    next(),
    next(),
    next(),
  ];
  const watchCaches = Array.from({ length: watchCacheReplicas }, next);
  const gateways = Array.from({ length: gatewayReplicas }, next);
  if (securePort) gateways[0] = securePort;
  return {
    etcdClient,
    etcdPeer,
    nats,
    natsMonitor,
    admission,
    authz,
    registry,
    watchCache: watchCaches[0]!,
    gateway: gateways[0]!,
    watchCaches,
    gateways,
  };
}
