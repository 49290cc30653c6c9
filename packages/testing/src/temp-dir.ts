import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerTempDir, unregisterTempDir } from './child-registry.js';

/**
 * A fresh private directory under the OS temp dir, named so leftovers are easy to
 * attribute. It is deleted when this process exits, in case the test never gets to
 * removeTempDir (a failed assertion, an uncaught error, a signal).
 */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `splitplane-${prefix}-`));
  registerTempDir(dir);
  return dir;
}

/** Removes a directory made by makeTempDir. */
export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  unregisterTempDir(dir);
}
