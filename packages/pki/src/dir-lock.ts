import { mkdir, rmdir, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { PkiError } from './errors.js';

const STALE_MS = 60_000;

/**
 * Runs `fn` while holding a lock directory inside `dir`. Parallel test processes often call
 * ensureDevPki on one shared directory; without the lock two of them could each mint a CA
 * and leave leaves signed by the other one. mkdir is atomic, so it serves as the lock.
 */
export async function withDirLock<T>(
  dir: string,
  fn: () => Promise<T>,
  timeoutMs = 30_000,
): Promise<T> {
  const lock = `${dir}/.pki.lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A holder killed mid-way leaves the directory behind; take it over once clearly stale.
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) {
        await rmdir(lock).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new PkiError(`timed out waiting for lock ${lock}`);
      await sleep(25);
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}
