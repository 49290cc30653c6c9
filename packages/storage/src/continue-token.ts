// kube's list continuation token: base64url (no padding) of {"v":"meta.k8s.io/v1","rv":N,"start":K}
// where K is the next key relative to the listed prefix. rv -1 means "continue at the latest
// revision" (handed out only after compaction, when a consistent continuation is impossible).
import { newBadRequest } from '@splitplane/apimachinery';

const VERSION = 'meta.k8s.io/v1';

export interface ContinueToken {
  /** Revision the first page was read at, as a decimal string; "-1" for latest. */
  rv: string;
  /** Absolute key to resume from (inclusive). */
  startKey: string;
}

export function encodeContinue(nextKey: string, prefix: string, rv: string): string {
  const start = nextKey.startsWith(prefix) ? nextKey.slice(prefix.length) : nextKey;
  // rv is a decimal string; revisions fit easily in a JSON number for the forseeable future,
  // but we splice it in textually so it is never routed through a float.
  if (!/^-?\d+$/.test(rv)) throw new Error(`invalid revision ${rv}`);
  const json = `{"v":${JSON.stringify(VERSION)},"rv":${rv},"start":${JSON.stringify(start)}}`;
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** Decodes a token for `prefix`; any malformed token is kube's 400. */
export function decodeContinue(token: string, prefix: string): ContinueToken {
  const bad = (why: string) => newBadRequest(`continue key is not valid: ${why}`);
  let raw: string;
  try {
    raw = Buffer.from(token.replace(/=+$/, ''), 'base64url').toString('utf8');
  } catch {
    throw bad('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  // Pull rv out textually so large revisions keep every digit.
  const rvMatch = /"rv"\s*:\s*(-?\d+)/.exec(raw);
  let parsed: { v?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(raw) as typeof parsed;
  } catch {
    throw bad('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (parsed.v !== VERSION) throw bad('server does not recognize this encoded key');
  const rv = rvMatch?.[1];
  if (!rv || rv === '0' || (/^-\d/.test(rv) && rv !== '-1')) {
    throw bad('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  const start = parsed.start;
  if (typeof start !== 'string' || start === '') throw bad('encoded start key empty');
  // The start key is relative; refuse anything that would escape the listed prefix.
  const cleaned = cleanRelative(start);
  if (cleaned === undefined) throw bad('encoded start key is outside the list');
  return { rv, startKey: prefix + cleaned };
}

function cleanRelative(start: string): string | undefined {
  if (start.startsWith('/')) return undefined;
  const segments = start.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return undefined;
  return start;
}
