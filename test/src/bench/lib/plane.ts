// A throwaway plane for one benchmark: started through the launcher in a temp dir on free
// ports, described by what actually runs (gateway ports and watch-cache PIDs are read from
// each process's command line, so this works whatever replica options the launcher has),
// and stopped by PID at the end, also on Ctrl-C.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { UpOptions } from '@splitplane/launcher';
import { readCredentials, type Credentials } from './client.js';

export interface PlaneProcess {
  name: string;
  pid: number;
  logFile: string;
}

export interface PlaneOptions {
  watchCacheReplicas?: number;
  gatewayReplicas?: number;
  /** Extra node flags for every service (appended to SPLITPLANE_NODE_ARGS). */
  nodeArgs?: string[];
}

export interface Plane {
  dataDir: string;
  credentials: Credentials;
  etcdUrl: string;
  /** https://127.0.0.1:<port> of every gateway. */
  gateways: string[];
  /** Every process, with PIDs kept current across restartWithArgs. */
  processes: PlaneProcess[];
  watchCaches(): PlaneProcess[];
  /** Stops one process and starts it again with the same command line plus `extraArgs`. */
  restartWithArgs(proc: PlaneProcess, extraArgs: string[]): Promise<void>;
  stop(): Promise<void>;
}

export class PlaneError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PlaneError';
  }
}

export async function startPlane(options: PlaneOptions = {}): Promise<Plane> {
  if (options.nodeArgs?.length) {
    // The launcher reads this when its module loads, hence the dynamic import below.
    process.env.SPLITPLANE_NODE_ARGS = [process.env.SPLITPLANE_NODE_ARGS ?? '', ...options.nodeArgs]
      .join(' ')
      .trim();
  }
  const { up, down } = await import('@splitplane/launcher');
  const dataDir = await mkdtemp(join(tmpdir(), 'splitplane-bench-'));
  const upOptions = {
    dataDir,
    securePort: 0,
    readyTimeoutMs: 120_000,
    log: () => undefined,
    watchCacheReplicas: options.watchCacheReplicas ?? 1,
    gatewayReplicas: options.gatewayReplicas ?? 1,
  } satisfies UpOptions;
  let state;
  try {
    state = await up(upOptions);
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const processes: PlaneProcess[] = state.processes.map((p) => ({ ...p }));
  const respawned = new Set<PlaneProcess>();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const p of respawned) await stopPid(p.pid);
    await down(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  };
  const onSignal = () => void stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const gateways = processes
    .filter((p) => p.name.startsWith('gateway'))
    .map((p) => `https://127.0.0.1:${flagOf(p.pid, 'secure-port')}`);
  return {
    dataDir,
    credentials: await readCredentials(dataDir),
    etcdUrl: `http://127.0.0.1:${state.ports.etcdClient}`,
    gateways,
    processes,
    watchCaches: () => processes.filter((p) => p.name.startsWith('watch-cache')),
    async restartWithArgs(proc, extraArgs) {
      const [command, ...args] = cmdline(proc.pid);
      const listen = flagOf(proc.pid, 'listen-address');
      await stopPid(proc.pid);
      const log = await open(proc.logFile, 'a');
      try {
        const child = spawn(command!, [...args, ...extraArgs], {
          stdio: ['ignore', log.fd, log.fd],
          detached: true,
        });
        await new Promise<void>((resolve, reject) => {
          child.once('spawn', resolve);
          child.once('error', reject);
        });
        child.unref();
        proc.pid = child.pid!;
        respawned.add(proc);
      } finally {
        await log.close();
      }
      if (listen) await waitForPort(listen, proc, 60_000);
    },
    stop,
  };
}

function cmdline(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/** The value of `--name=value` on a process's command line. */
export function flagOf(pid: number, name: string): string | undefined {
  const arg = cmdline(pid).find((a) => a.startsWith(`--${name}=`));
  return arg?.slice(name.length + 3);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

async function stopPid(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  while (alive(pid)) await sleep(20);
}

async function waitForPort(address: string, proc: PlaneProcess, timeoutMs: number) {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(':')),
    Number(address.slice(address.lastIndexOf(':') + 1)),
  ];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(proc.pid)) {
      const log = readFileSync(proc.logFile, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
      throw new PlaneError(`${proc.name} exited after restart; see ${proc.logFile}\n${log}`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, host, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new PlaneError(`${proc.name} did not listen on ${address} within ${timeoutMs} ms`);
}

/** Polls `check` until it returns true; `what` names the condition in the timeout error. */
export async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await sleep(200);
  }
  throw new PlaneError(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
  );
}
