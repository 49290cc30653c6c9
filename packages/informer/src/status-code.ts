// Reading the HTTP code of a StatusError without depending on its class identity (errors
// cross package copies and gRPC).
import type { StatusError } from '@splitplane/apimachinery';

export function statusCode(err: unknown): number | undefined {
  const code = (err as { status?: { code?: unknown } } | null)?.status?.code;
  return typeof code === 'number' ? code : undefined;
}

/** 410: the history asked for is gone (kube's "too old resource version"). */
export function isExpired(err: unknown): err is StatusError {
  return statusCode(err) === 410;
}

/** Client errors a retry cannot fix (429 and 410 are worth retrying or relisting). */
export function isPermanent(err: unknown): boolean {
  const code = statusCode(err);
  return code !== undefined && code >= 400 && code < 500 && code !== 429 && code !== 410;
}
