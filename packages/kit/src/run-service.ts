// The entry point shape shared by every service binary: parse flags, start, log readiness,
// stop cleanly on SIGTERM/SIGINT, and exit non-zero with one clear line on startup failure.
import { type Flags, type FlagSpec, FlagError, flagHelp, parseFlags } from './flags.js';
import { createLogger, type Logger } from './logger.js';

export interface RunningService {
  stop(): Promise<void>;
}

export interface ServiceMain<T extends Record<string, FlagSpec>> {
  name: string;
  flags: T;
  start(flags: Flags<T>, log: Logger): Promise<RunningService>;
}

export async function runService<T extends Record<string, FlagSpec>>(
  main: ServiceMain<T>,
): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`Usage: ${main.name} [flags]\n\nFlags:\n${flagHelp(main.flags)}\n`);
    return;
  }
  const log = createLogger(main.name);
  let flags: Flags<T>;
  try {
    flags = parseFlags(main.flags);
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`${main.name}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  let running: RunningService;
  try {
    running = await main.start(flags, log);
  } catch (err) {
    log.fatal({ err }, 'startup failed');
    process.stderr.write(`${main.name}: startup failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
  log.info('ready');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
