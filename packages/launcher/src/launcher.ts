// up / down / status: the local control plane as separate processes under one data dir.
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findBinary, freePorts } from '@splitplane/kit';
import { ADMIN_USER, ensureDevPki, writeKubeconfig, type DevPki } from '@splitplane/pki';
import { components, type Component, type Ports } from './components.js';
import { isAlive, startProcess, stopProcess } from './processes.js';
import { probe } from './readiness.js';
import {
  clearState,
  readState,
  writeState,
  type LauncherState,
  type ProcessRecord,
} from './state.js';

export class LauncherError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LauncherError';
  }
}

export interface UpOptions {
  dataDir: string;
  securePort: number;
  readyTimeoutMs: number;
  log: (line: string) => void;
}

export async function up(options: UpOptions): Promise<LauncherState> {
  const dataDir = resolve(options.dataDir);
  const existing = await readState(dataDir);
  if (existing?.processes.some((p) => isAlive(p.pid))) {
    throw new LauncherError(
      `a control plane is already running from ${dataDir}; run 'splitplane down' first`,
    );
  }
  await mkdir(dataDir, { recursive: true });
  const pki = await ensureDevPki(join(dataDir, 'pki'));
  const ports = await allocatePorts(options.securePort);
  const plan = components(dataDir, ports, pki);
  // Resolve every binary before starting anything, so a missing one is a one-line error.
  const commands = await Promise.all(plan.map((c) => resolveBinary(c)));

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
          options.log(`  ${component.name.padEnd(12)} ready (pid ${record.pid})`);
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

/** Stops in reverse start order: the gateway first, etcd last. */
async function stopAll(processes: ProcessRecord[]): Promise<void> {
  for (const p of [...processes].reverse()) await stopProcess(p.pid);
}

async function allocatePorts(securePort: number): Promise<Ports> {
  const [etcdClient, etcdPeer, nats, natsMonitor, admission, authz, registry, watchCache, gateway] =
    await freePorts(9);
  return {
    etcdClient: etcdClient!,
    etcdPeer: etcdPeer!,
    nats: nats!,
    natsMonitor: natsMonitor!,
    admission: admission!,
    authz: authz!,
    registry: registry!,
    watchCache: watchCache!,
    gateway: securePort || gateway!,
  };
}

async function resolveBinary(component: Component): Promise<string> {
  const { name, debianPackage, fallbackPaths } = component.binary;
  if (!debianPackage) return name;
  return findBinary(name, { debianPackage, fallbackPaths: fallbackPaths ?? [] });
}

async function waitReady(
  component: Component,
  record: ProcessRecord,
  pki: DevPki,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(record.pid)) {
      throw new LauncherError(
        `${component.name} exited during startup; see ${record.logFile}\n${await tail(record.logFile)}`,
      );
    }
    if (await probe(component.readiness, pki)) return;
    await sleep(100);
  }
  throw new LauncherError(
    `${component.name} was not ready after ${timeoutMs} ms; see ${record.logFile}\n${await tail(record.logFile)}`,
  );
}

async function tail(file: string, lines = 20): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
