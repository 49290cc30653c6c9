// The launcher's record of what it started, so `down`, `status` and restarts can find every
// process by PID from another shell, and re-run one with exactly the command line it had.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ports } from './components.js';

export interface ProcessRecord {
  name: string;
  pid: number;
  logFile: string;
  /** What was spawned; absent in state files written before restarts existed. */
  command?: string;
  args?: string[];
}

export interface LauncherState {
  ports: Ports;
  kubeconfig: string;
  processes: ProcessRecord[];
}

const stateFile = (dataDir: string) => join(dataDir, 'state.json');

export async function readState(dataDir: string): Promise<LauncherState | undefined> {
  let state: LauncherState;
  try {
    state = JSON.parse(await readFile(stateFile(dataDir), 'utf8')) as LauncherState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  // State files from before replicas existed carry only the single ports.
  const ports = state.ports as Partial<Ports> & Ports;
  ports.watchCaches ??= [ports.watchCache];
  ports.gateways ??= [ports.gateway];
  return state;
}

export async function writeState(dataDir: string, state: LauncherState): Promise<void> {
  await writeFile(stateFile(dataDir), `${JSON.stringify(state, null, 2)}\n`);
}

export async function clearState(dataDir: string): Promise<void> {
  await rm(stateFile(dataDir), { force: true });
}
