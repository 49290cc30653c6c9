import { setTimeout as sleep } from 'node:timers/promises';
import { WaitTimeoutError } from './errors.js';

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What was being waited for, used in the timeout error. */
  message?: string;
  /** Stops waiting early (e.g. when the process being polled has exited). */
  signal?: AbortSignal;
}

/**
 * Polls `fn` until it returns a truthy value, and returns that value. A throw counts as
 * "not yet": servers that are still starting refuse connections, which is expected. The
 * last throw becomes the timeout error's cause, since it usually explains the wait.
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50, message = 'condition', signal }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${message}`, {
        cause: lastError,
      });
    }
    await sleep(Math.min(intervalMs, remaining), undefined, signal ? { signal } : undefined);
  }
}
