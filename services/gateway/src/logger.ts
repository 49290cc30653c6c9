// The gateway's process-wide logger; main.ts installs the one runService created.
import { type Logger, createLogger } from '@splitplane/kit';

let current: Logger | undefined;

export function setLogger(log: Logger): void {
  current = log;
}

export function logger(): Logger {
  current ??= createLogger('gateway');
  return current;
}
