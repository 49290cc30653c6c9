// A throwaway plane for one benchmark: started through the launcher in a temp dir on free
// ports, described by what actually runs (gateway ports and watch-cache PIDs are read from
// each process's command line), restarted with extra flags through the launcher, and
// stopped by PID at the end, also on Ctrl-C.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
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
  /** Restarts one process with its base command line plus `extraArgs`, waiting until ready. */
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
  const { up, down, restartComponent } = await import('@splitplane/launcher');
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
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
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
      const record = await restartComponent(dataDir, proc.name, {
        extraArgs,
        readyTimeoutMs: 180_000,
      });
      proc.pid = record.pid;
      proc.logFile = record.logFile;
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
