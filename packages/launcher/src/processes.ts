// Starting and stopping component processes by PID. Each child gets its own process group
// and writes straight to a log file, so it outlives `up --detach` and never blocks on a pipe.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessRecord } from './state.js';

export async function startProcess(
  name: string,
  command: string,
  args: string[],
  logDir: string,
): Promise<ProcessRecord> {
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const log = await open(logFile, 'a');
  try {
    const child = spawn(command, args, { stdio: ['ignore', log.fd, log.fd], detached: true });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.unref();
    return { name, pid: child.pid!, logFile, command, args };
  } finally {
    await log.close();
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * Detached children outlive `up --detach` and are reparented; until their new parent
 * reaps them, an exited one is a zombie that still answers kill(pid, 0).
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL. Resolves once the process is gone. */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) {
    signal(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(20);
  }
}

/** SIGKILL, as a crash would: no shutdown path runs. Resolves once the process is gone. */
export async function killProcess(pid: number): Promise<void> {
  signal(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(20);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
