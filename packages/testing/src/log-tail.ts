import { open } from 'node:fs/promises';

/** How many lines of a child's log go into a startup error. */
export const STARTUP_LOG_LINES = 40;

/**
 * The last `lines` lines of a log file. Reads only the end of the file, since a chatty
 * server's log can be large by the time something goes wrong.
 */
export async function readLogTail(
  path: string,
  lines = STARTUP_LOG_LINES,
  maxBytes = 64 * 1024,
): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return '(no log file)';
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const all = buffer.toString('utf8').split('\n');
    if (all.at(-1) === '') all.pop();
    return all.slice(-lines).join('\n');
  } finally {
    await handle.close();
  }
}
