/**
 * Every child spawned through spawnManaged is recorded here until it exits, so that a test
 * process that ends for any reason (a failed assertion, an uncaught error, Ctrl-C, the test
 * runner's SIGTERM) never leaves etcd or NATS behind holding ports and temp dirs.
 */
import { rmSync } from 'node:fs';

const live = new Set<number>();
const tempDirs = new Set<string>();
let installed = false;

/** Kills the process group led by `pid` (our children are group leaders), else the PID alone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

function killAll(): void {
  for (const pid of live) signalProcess(pid, 'SIGKILL');
  live.clear();
  // Exit handlers cannot await, so this is the one place we delete synchronously. The
  // retries cover a child that the kernel has not quite finished killing.
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 10 });
    } catch {
      // Best effort: the process is exiting anyway.
    }
  }
  tempDirs.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // Adding a listener cancelled the default "terminate"; restore it unless someone else
  // also listens and so has taken responsibility for exiting.
  process.removeListener(signal, onSignal);
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  // 'exit' handlers must be synchronous; process.kill is.
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}

export function registerChild(pid: number): void {
  install();
  live.add(pid);
}

export function unregisterChild(pid: number): void {
  live.delete(pid);
}

/** PIDs of children still believed to be running (for diagnostics and tests). */
export function liveChildren(): number[] {
  return [...live];
}

/** A temp dir to delete when this process exits, unless its owner removed it first. */
export function registerTempDir(dir: string): void {
  install();
  tempDirs.add(dir);
}

export function unregisterTempDir(dir: string): void {
  tempDirs.delete(dir);
}
