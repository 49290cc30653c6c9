// Retries an attempt with a fresh sequence number until it yields a value: admission
// configuration reaches the plane through informers, so the first request after a change
// may not see it yet. Each attempt gets a new number so it can create a new object.
import { waitFor } from '@splitplane/testing';

/** Generous: a change should show within a second, but a loaded 2-core machine lags. */
export const CONFIG_PROPAGATION_TIMEOUT_MS = 30_000;

export async function eventually<T>(
  attempt: (n: number) => Promise<T | undefined>,
  message: string,
  timeoutMs = CONFIG_PROPAGATION_TIMEOUT_MS,
): Promise<T> {
  let n = 0;
  return waitFor(async () => attempt(n++), { timeoutMs, intervalMs: 100, message });
}
