import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

/**
 * Writes via a temp file and rename, so a process reading the directory concurrently (or one
 * killed mid-write) never sees a half-written PEM. Keys get 0600, certificates 0644.
 */
export async function writePemFile(path: string, pem: string, secret: boolean): Promise<void> {
  const mode = secret ? 0o600 : 0o644;
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, pem, { mode });
  // writeFile's mode is filtered by the umask; set it explicitly.
  await chmod(tmp, mode);
  await rename(tmp, path);
}

/** Returns the file's text, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
