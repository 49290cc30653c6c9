import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { registerChild, signalProcess, unregisterChild } from './child-registry.js';
import { StartupError, TestingError } from './errors.js';
import { readLogTail } from './log-tail.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnManagedOptions {
  /** Name used in errors and the default log file name; defaults to the command's basename. */
  name?: string;
  /** Environment of the child; defaults to this process's environment. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * File receiving the child's stdout and stderr (appended). Defaults to a file in a new temp
   * dir that stop() deletes; pass a path to keep the log after stop.
   */
  logFile?: string;
  /**
   * Polled until it returns true; spawnManaged resolves only then. Throwing counts as not
   * ready yet. Without it, spawnManaged resolves once the process has been spawned.
   */
  readyCheck?: () => boolean | Promise<boolean>;
  readyTimeoutMs?: number;
  readyIntervalMs?: number;
  /**
   * Kill the child when this process exits (default true). Only a launcher that means to
   * leave daemons running should turn this off, and it should pass its own logFile: a default
   * log dir is deleted when this process exits.
   */
  killOnExit?: boolean;
}

export interface StopOptions {
  /** Grace period after SIGTERM before escalating to SIGKILL. */
  timeoutMs?: number;
}

/** A running child process that is killed when this process exits. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited; keeps this process alive meanwhile. */
  waitForExit(): Promise<ExitStatus>;
  /** Exit status once exited, else undefined. */
  readonly exitStatus: ExitStatus | undefined;
  readonly running: boolean;
  /** SIGTERM, wait up to timeoutMs (default 10 s), then SIGKILL; resolves after exit. */
  stop(opts?: StopOptions): Promise<ExitStatus>;
  /** Sends a signal to the process (and its group) without waiting. */
  kill(signal?: NodeJS.Signals): void;
  /** Last lines of the log file. */
  logTail(lines?: number): Promise<string>;
}

/**
 * Spawns a program without a shell, logging to a file, and waits for it to become ready.
 *
 * The child gets its own process group (detached) so that stopping it also stops anything
 * it spawned. Its output goes straight to a file descriptor rather than through pipes, so a
 * chatty child can never block on a full pipe we forgot to drain. The child handle is
 * unref'd: a test that forgets stop() still lets its process end, and the exit hook then
 * kills the child.
 */
export async function spawnManaged(
  cmd: string,
  args: readonly string[],
  opts: SpawnManagedOptions = {},
): Promise<ManagedProcess> {
  const name = opts.name ?? basename(cmd);
  // A log dir we made ourselves is ours to delete on stop; a caller-chosen log file is kept.
  const ownLogDir = opts.logFile === undefined ? await makeTempDir(`${name}-log`) : undefined;
  const logFile = opts.logFile ?? join(ownLogDir!, `${name}.log`);
  await mkdir(dirname(logFile), { recursive: true });
  const log = await open(logFile, 'a');

  // Everything up to the first await runs synchronously after spawn(): 'spawn', 'error' and
  // even 'exit' fire on later ticks, and a listener attached after an await could miss them.
  let exitStatus: ExitStatus | undefined;
  let child: ChildProcess;
  let exited: Promise<ExitStatus>;
  let spawned: Promise<Error | undefined>;
  try {
    child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', log.fd, log.fd],
      detached: true,
    });
    if (child.pid !== undefined && opts.killOnExit !== false) registerChild(child.pid);
    spawned = new Promise((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (err) => resolve(err));
    });
    exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        exitStatus = { code, signal };
        if (child.pid !== undefined) unregisterChild(child.pid);
        resolve(exitStatus);
      });
    });
  } finally {
    // The child holds its own copy of the descriptor now.
    await log.close();
  }

  const spawnError = await spawned;
  if (spawnError || child.pid === undefined) {
    const tail = await readLogTail(logFile);
    if (ownLogDir) await removeTempDir(ownLogDir);
    throw new StartupError(name, `cannot spawn ${cmd}: ${spawnError?.message}`, logFile, tail, {
      cause: spawnError,
    });
  }
  const pid = child.pid;
  child.unref();

  const handle: ManagedProcess = {
    name,
    pid,
    logFile,
    async waitForExit() {
      // The handle is unref'd; re-ref it while someone waits, or Node could decide there is
      // nothing left to do and exit with the wait still pending.
      child.ref();
      try {
        return await exited;
      } finally {
        child.unref();
      }
    },
    get exitStatus() {
      return exitStatus;
    },
    get running() {
      return exitStatus === undefined;
    },
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (exitStatus === undefined) signalProcess(pid, signal);
    },
    async stop({ timeoutMs = 10_000 }: StopOptions = {}) {
      if (exitStatus !== undefined) {
        if (ownLogDir) await removeTempDir(ownLogDir);
        return exitStatus;
      }
      signalProcess(pid, 'SIGTERM');
      // The grace timer is cancelled on exit so it does not hold the event loop open.
      const grace = new AbortController();
      const timer = sleep(timeoutMs, 'timeout' as const, { signal: grace.signal }).catch(
        () => 'exited' as const,
      );
      const first = await Promise.race([exited.then(() => 'exited' as const), timer]);
      grace.abort();
      if (first === 'timeout') signalProcess(pid, 'SIGKILL');
      const status = await handle.waitForExit();
      if (ownLogDir) await removeTempDir(ownLogDir);
      return status;
    },
    logTail: (lines?: number) => readLogTail(logFile, lines),
  };

  if (opts.readyCheck) {
    try {
      await waitUntilReady(
        handle,
        exited,
        opts.readyCheck,
        opts.readyTimeoutMs ?? 30_000,
        opts.readyIntervalMs ?? 50,
      );
    } catch (err) {
      // Never leave a half-started child behind.
      const reason = err instanceof TestingError ? err.message : String(err);
      const tail = await readLogTail(logFile);
      await handle.stop({ timeoutMs: 2_000 });
      throw new StartupError(name, reason, logFile, tail, { cause: err });
    }
  }
  return handle;
}

async function waitUntilReady(
  proc: ManagedProcess,
  exited: Promise<ExitStatus>,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (!proc.running) {
      const { code, signal } = proc.exitStatus!;
      throw new TestingError(
        `process ${proc.pid} exited (code ${code}, signal ${signal}) before it was ready`,
        {
          cause: lastError,
        },
      );
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      throw new TestingError(`not ready after ${timeoutMs} ms`, { cause: lastError });
    }
    // Wake early if the process dies, rather than sleeping out the interval.
    await Promise.race([sleep(intervalMs), exited]);
  }
}
