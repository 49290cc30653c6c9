import { spawn } from 'node:child_process';
import { TestingError } from './errors.js';

export interface KubectlOptions {
  kubeconfig: string;
  /** Written to kubectl's stdin (e.g. a manifest for `apply -f -`). */
  input?: string;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Kill kubectl after this long (default 60 s); the result then has timedOut set. */
  timeoutMs?: number;
  /** Default /usr/bin/kubectl, the dispatcher that picks a versioned binary from /version. */
  binary?: string;
}

export interface KubectlResult {
  /** Exit code, or null when kubectl was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs kubectl with `--kubeconfig` first (so it can never land after a `--` and reach a
 * remote command; the one cost is that kubectl refuses flags before a plugin name) and `args` verbatim: no shell, so nothing in an
 * argument is ever interpreted. A non-zero exit is a result, not an error, since many tests
 * assert on kubectl's failures; only failing to run it at all rejects.
 */
export function kubectl(args: readonly string[], opts: KubectlOptions): Promise<KubectlResult> {
  const binary = opts.binary ?? '/usr/bin/kubectl';
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--kubeconfig', opts.kubeconfig, ...args], {
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new TestingError(`cannot run ${binary}: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
      });
    });
    // kubectl may exit before reading stdin (e.g. on a usage error); ignore the EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}
