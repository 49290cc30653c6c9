// Foreground `up`: waits for Ctrl-C or SIGTERM, and says so when a component dies meanwhile.
// The polling timer is also what keeps the process alive: a pending signal listener alone
// does not hold Node's event loop open.
import { isAlive } from './processes.js';
import type { LauncherState } from './state.js';

const CHECK_INTERVAL_MS = 2000;

export function superviseUntilSignal(
  state: LauncherState,
  log: (line: string) => void,
): Promise<void> {
  const reported = new Set<number>();
  return new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (const p of state.processes) {
        if (reported.has(p.pid) || isAlive(p.pid)) continue;
        reported.add(p.pid);
        log(`${p.name} (pid ${p.pid}) exited; see ${p.logFile}`);
      }
    }, CHECK_INTERVAL_MS);
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
