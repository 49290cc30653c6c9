// kube's request-header (front proxy) authenticator: a client certificate that chains to
// --requestheader-client-ca-file (and, with --requestheader-allowed-names, carries one of
// those CNs) vouches for the user named in the configured headers. The headers are removed
// from every request, so nothing downstream can mistake them for something it may trust.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ClientCertVerifier } from './client-cert.js';
import { subjectAttributes } from './client-cert.js';
import { AuthenticationError, type AuthResult, type RequestAuthenticator } from './types.js';
import { makeUser } from './user.js';

export interface RequestHeaderOptions {
  verifier: ClientCertVerifier;
  allowedNames: readonly string[];
  usernameHeaders: readonly string[];
  uidHeaders: readonly string[];
  groupHeaders: readonly string[];
  extraHeaderPrefixes: readonly string[];
}

export class RequestHeaderAuthenticator implements RequestAuthenticator {
  readonly name = 'requestheader';
  private readonly usernameHeaders: string[];
  private readonly uidHeaders: string[];
  private readonly groupHeaders: string[];
  private readonly extraPrefixes: string[];

  constructor(private readonly opts: RequestHeaderOptions) {
    const lower = (l: readonly string[]) => l.map((h) => h.trim().toLowerCase()).filter(Boolean);
    this.usernameHeaders = lower(opts.usernameHeaders);
    this.uidHeaders = lower(opts.uidHeaders);
    this.groupHeaders = lower(opts.groupHeaders);
    this.extraPrefixes = lower(opts.extraHeaderPrefixes);
  }

  authenticate(req: IncomingMessage): AuthResult | null {
    try {
      return this.fromRequest(req);
    } finally {
      this.strip(req);
    }
  }

  private fromRequest(req: IncomingMessage): AuthResult | null {
    const checked = this.opts.verifier.check(req.socket as TLSSocket);
    if (!checked) return null;
    if (!checked.ok) throw checked.error;
    if (this.opts.allowedNames.length > 0) {
      const cn = subjectAttributes(checked.leaf).get('CN')?.[0] ?? '';
      if (!this.opts.allowedNames.includes(cn)) {
        throw new AuthenticationError(`x509: subject with cn=${cn} is not in the allowed list`);
      }
    }
    const headers = req.headersDistinct;
    const username = firstValue(headers, this.usernameHeaders);
    if (!username) return null;
    const uid = firstValue(headers, this.uidHeaders) ?? '';
    const groups: string[] = [];
    for (const h of this.groupHeaders) groups.push(...(headers[h] ?? []));
    const extra: Record<string, string[]> = {};
    for (const [name, values] of Object.entries(headers)) {
      for (const prefix of this.extraPrefixes) {
        if (!name.startsWith(prefix) || name.length === prefix.length || !values) continue;
        const key = unescapeExtraKey(name.slice(prefix.length));
        (extra[key] ??= []).push(...values);
      }
    }
    return { user: makeUser(username, uid, groups, extra) };
  }

  private strip(req: IncomingMessage): void {
    for (const h of [...this.usernameHeaders, ...this.uidHeaders, ...this.groupHeaders]) {
      delete req.headers[h];
    }
    if (this.extraPrefixes.length === 0) return;
    for (const name of Object.keys(req.headers)) {
      if (this.extraPrefixes.some((p) => name.startsWith(p))) delete req.headers[name];
    }
  }
}

function firstValue(headers: NodeJS.Dict<string[]>, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = headers[n]?.[0];
    if (v) return v;
  }
  return undefined;
}

/** Extra keys are lower-cased and may be %-escaped in header names (kube's unescapeExtraKey). */
function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key).toLowerCase();
  } catch {
    return key.toLowerCase();
  }
}
