// The launcher's record of what it started, so `down` and `status` can find every process
// by PID from another shell.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ports } from './components.js';

export interface ProcessRecord {
  name: string;
  pid: number;
  logFile: string;
}

export interface LauncherState {
  ports: Ports;
  kubeconfig: string;
  processes: ProcessRecord[];
}

const stateFile = (dataDir: string) => join(dataDir, 'state.json');

export async function readState(dataDir: string): Promise<LauncherState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(dataDir), 'utf8')) as LauncherState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function writeState(dataDir: string, state: LauncherState): Promise<void> {
  await writeFile(stateFile(dataDir), `${JSON.stringify(state, null, 2)}\n`);
}

export async function clearState(dataDir: string): Promise<void> {
  await rm(stateFile(dataDir), { force: true });
}
