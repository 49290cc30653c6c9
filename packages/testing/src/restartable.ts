// The lifecycle part shared by every server handle (etcd, nats-server): the current
// process, which changes on restart, and stop/restart/kill around it.
import type { ManagedProcess } from './managed-process.js';
import { removeTempDir } from './temp-dir.js';

export interface Restartable {
  /** PID of the current process; changes on restart. */
  readonly pid: number;
  readonly process: ManagedProcess;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period) and removes its temp dir. */
  stop(): Promise<void>;
  /** Stops the server and starts it again on the same ports and data dir. */
  restart(): Promise<void>;
  /** Sends a signal without waiting (e.g. SIGKILL to simulate a crash, SIGSTOP to freeze it). */
  kill(signal?: NodeJS.Signals): void;
}

/** `root` holds the log and, unless the caller supplied its own, the data dir. */
export function restartable(
  first: ManagedProcess,
  spawn: () => Promise<ManagedProcess>,
  root: string,
  stopTimeoutMs: number,
): Restartable {
  let proc = first;
  return {
    get pid() {
      return proc.pid;
    },
    get process() {
      return proc;
    },
    async stop() {
      await proc.stop({ timeoutMs: stopTimeoutMs });
      await removeTempDir(root);
    },
    async restart() {
      await proc.stop({ timeoutMs: stopTimeoutMs });
      proc = await spawn();
    },
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      proc.kill(signal);
    },
  };
}
