// Structured JSON logs on stderr (pino: fast, and the de-facto Node structured logger).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(component: string): Logger {
  return pino(
    { name: component, level: process.env.SPLITPLANE_LOG_LEVEL ?? 'info', base: { component } },
    pino.destination(2),
  );
}
