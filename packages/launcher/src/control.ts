// One component at a time, by its state name ("etcd", "watch-cache-1", "gateway"...):
// crash it with SIGKILL, or start it again on the same ports and data dir. Failure tests use
// these to kill replicas under load; `down` still finds the restarted process by PID.
import { join, resolve } from 'node:path';
import { ensureDevPki } from '@splitplane/pki';
import { baseName, components, resolveCommand } from './components.js';
import { LauncherError } from './errors.js';
import { isAlive, killProcess, startProcess, stopProcess } from './processes.js';
import { waitReady } from './readiness.js';
import { readState, writeState, type LauncherState, type ProcessRecord } from './state.js';

export interface RestartOptions {
  /** How long the new process may take to pass its readiness probe (default 60 s). */
  readyTimeoutMs?: number;
  /**
   * Start it with its base command line plus these flags, instead of the command line it had
   * (which drops any extra flags it was started with). E.g. `['--watch-cache=false']`.
   */
  extraArgs?: readonly string[];
}

/** SIGKILLs the named component, as a crash would, and resolves once it is gone. */
export async function killComponent(dataDir: string, name: string): Promise<ProcessRecord> {
  const { record } = await find(resolve(dataDir), name);
  await killProcess(record.pid);
  return record;
}

/**
 * Starts the named component again with the command line it had, on the same ports and data
 * dir, and waits until it is ready. A still-running one is stopped (SIGTERM) first.
 */
export async function restartComponent(
  dataDir: string,
  name: string,
  options: RestartOptions = {},
): Promise<ProcessRecord> {
  const absolute = resolve(dataDir);
  const { state, record } = await find(absolute, name);
  if (isAlive(record.pid)) await stopProcess(record.pid);
  const pki = await ensureDevPki(join(absolute, 'pki'));
  const extraArgs = options.extraArgs ? { [baseName(name)]: options.extraArgs } : {};
  const component = components(absolute, state.ports, pki, extraArgs).find((c) => c.name === name);
  if (!component) throw new LauncherError(`the launcher does not know how to run "${name}"`);
  const command = record.command ?? (await resolveCommand(component));
  const args = (!options.extraArgs && record.args) || component.args;
  const started = await startProcess(name, command, args, join(absolute, 'logs'));
  // Record the new PID before waiting, so `down` finds it even if it never becomes ready.
  await updateRecord(absolute, started);
  await waitReady(component, started, pki, options.readyTimeoutMs ?? 60_000);
  return started;
}

async function find(
  dataDir: string,
  name: string,
): Promise<{ state: LauncherState; record: ProcessRecord }> {
  const state = await readState(dataDir);
  if (!state) throw new LauncherError(`nothing is running from ${dataDir}`);
  const record = state.processes.find((p) => p.name === name);
  if (!record) {
    throw new LauncherError(
      `no component "${name}" in ${dataDir}; there are: ${state.processes.map((p) => p.name).join(', ')}`,
    );
  }
  return { state, record };
}

// Read-modify-write of state.json, one at a time per data dir within this process, so
// concurrent restarts do not lose each other's PIDs.
const updates = new Map<string, Promise<unknown>>();

function updateRecord(dataDir: string, record: ProcessRecord): Promise<void> {
  const run = async () => {
    const state = await readState(dataDir);
    if (!state) throw new LauncherError(`nothing is running from ${dataDir}`);
    state.processes = state.processes.map((p) => (p.name === record.name ? record : p));
    await writeState(dataDir, state);
  };
  const next = (updates.get(dataDir) ?? Promise.resolve()).then(run, run);
  updates.set(
    dataDir,
    next.catch(() => undefined),
  );
  return next;
}
