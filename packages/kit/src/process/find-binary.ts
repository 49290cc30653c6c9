import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { MissingBinaryError } from './missing-binary-error.js';

export interface FindBinaryOptions {
  /** Where the Debian package installs it, tried when PATH has no match (sbin is often not on PATH). */
  fallbackPaths?: readonly string[];
  /** The Debian package to name when it is missing. */
  debianPackage: string;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Resolves a program from PATH, then from fallback paths; throws MissingBinaryError naming the package. */
export async function findBinary(name: string, opts: FindBinaryOptions): Promise<string> {
  const candidates = isAbsolute(name)
    ? [name]
    : [
        ...(process.env['PATH'] ?? '')
          .split(delimiter)
          .filter((dir) => dir !== '')
          .map((dir) => join(dir, name)),
        ...(opts.fallbackPaths ?? []),
      ];
  for (const candidate of candidates) {
    if (await isExecutable(candidate)) return candidate;
  }
  throw new MissingBinaryError(name, opts.debianPackage, candidates);
}
