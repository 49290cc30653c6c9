// OpenID Connect ID tokens (--oidc-*): the issuer's discovery document and JWKS are fetched
// over HTTPS (trusting --oidc-ca-file, else the system roots) and cached; an unknown key id
// refetches the JWKS, at most every few seconds. Tokens from other issuers are not ours.
import { request as httpsRequest } from 'node:https';
import {
  createLocalJWKSet,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
} from 'jose';
import { AuthenticationError, type AuthResult, type TokenAuthenticator } from './types.js';
import { makeUser } from './user.js';

export interface OidcOptions {
  issuerUrl: string;
  clientId: string;
  /** Default "sub". */
  usernameClaim?: string;
  /** Unset: `<issuer>#` unless the claim is email; "-": none. */
  usernamePrefix?: string;
  groupsClaim?: string;
  groupsPrefix?: string;
  /** PEM CA bundle trusted for the issuer's HTTPS endpoints. */
  ca?: string | Buffer;
  /** key=value claims every token must carry. */
  requiredClaims?: Record<string, string>;
  /** JWS algorithms accepted (kube's --oidc-signing-algs, default RS256). */
  signingAlgs?: readonly string[];
  /** Minimum gap between JWKS refetches for an unknown key. */
  refreshIntervalMs?: number;
}

type KeySet = ReturnType<typeof createLocalJWKSet>;

export class OidcAuthenticator implements TokenAuthenticator {
  readonly name = 'oidc';
  private keys?: Promise<KeySet>;
  private fetchedAt = 0;
  private jwksUri?: string;

  constructor(private readonly opts: OidcOptions) {}

  async authenticateToken(token: string): Promise<AuthResult | null> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      return null;
    }
    if (unverified.iss !== this.opts.issuerUrl) return null;
    const payload = await this.verify(token);
    return { user: this.userFrom(payload) };
  }

  private async verify(token: string): Promise<JWTPayload> {
    const options = {
      issuer: this.opts.issuerUrl,
      audience: this.opts.clientId,
      algorithms: [...(this.opts.signingAlgs?.length ? this.opts.signingAlgs : ['RS256'])],
    };
    try {
      return (await jwtVerify(token, await this.keySet(false), options)).payload;
    } catch (err) {
      if (!(err instanceof joseErrors.JWKSNoMatchingKey)) throw oidcError(err);
    }
    // A key we have not seen: the issuer may have rotated.
    try {
      return (await jwtVerify(token, await this.keySet(true), options)).payload;
    } catch (err) {
      throw oidcError(err);
    }
  }

  private keySet(refresh: boolean): Promise<KeySet> {
    const interval = this.opts.refreshIntervalMs ?? 10_000;
    const stale = Date.now() - this.fetchedAt >= interval;
    if (!this.keys || (refresh && stale) || Date.now() - this.fetchedAt > 3600_000) {
      this.fetchedAt = Date.now();
      const loading = this.load();
      this.keys = loading;
      loading.catch(() => {
        if (this.keys === loading) this.keys = undefined;
      });
    }
    return this.keys;
  }

  private async load(): Promise<KeySet> {
    if (!this.jwksUri) {
      const base = this.opts.issuerUrl.replace(/\/+$/, '');
      const discovery = (await this.getJson(`${base}/.well-known/openid-configuration`)) as {
        issuer?: string;
        jwks_uri?: string;
      };
      if (discovery.issuer !== this.opts.issuerUrl) {
        throw new AuthenticationError(
          `oidc: issuer did not match the issuer returned by provider, expected "${this.opts.issuerUrl}" got "${discovery.issuer ?? ''}"`,
        );
      }
      if (!discovery.jwks_uri)
        throw new AuthenticationError('oidc: discovery document has no jwks_uri');
      this.jwksUri = discovery.jwks_uri;
    }
    return createLocalJWKSet((await this.getJson(this.jwksUri)) as JSONWebKeySet);
  }

  private getJson(url: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method: 'GET',
          headers: { accept: 'application/json' },
          ...(this.opts.ca ? { ca: this.opts.ca } : {}),
          timeout: 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode !== 200) {
              return reject(new AuthenticationError(`oidc: get ${url}: ${res.statusCode}`));
            }
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (err) {
              reject(
                new AuthenticationError(`oidc: decoding ${url}: ${(err as Error).message}`, {
                  cause: err,
                }),
              );
            }
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new AuthenticationError(`oidc: get ${url}: timeout`)));
      req.on('error', (err) =>
        reject(
          err instanceof AuthenticationError
            ? err
            : new AuthenticationError(`oidc: get ${url}: ${err.message}`, { cause: err }),
        ),
      );
      req.end();
    });
  }

  private userFrom(payload: JWTPayload): ReturnType<typeof makeUser> {
    const claim = this.opts.usernameClaim || 'sub';
    const value = payload[claim];
    if (typeof value !== 'string' || value === '') {
      throw new AuthenticationError(`oidc: parse username claims "${claim}": claim not present`);
    }
    if (claim === 'email' && 'email_verified' in payload && payload.email_verified !== true) {
      throw new AuthenticationError('oidc: email not verified');
    }
    for (const [k, want] of Object.entries(this.opts.requiredClaims ?? {})) {
      if (!(k in payload))
        throw new AuthenticationError(`oidc: required claim ${k} not present in ID token`);
      if (payload[k] !== want) {
        throw new AuthenticationError(
          `oidc: required claim ${k} value does not match. Got = ${String(payload[k])}, want = ${want}`,
        );
      }
    }
    const prefix = usernamePrefixFor(this.opts.issuerUrl, claim, this.opts.usernamePrefix);
    const groups: string[] = [];
    if (this.opts.groupsClaim && payload[this.opts.groupsClaim] !== undefined) {
      const raw = payload[this.opts.groupsClaim];
      const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : undefined;
      if (!list || list.some((g) => typeof g !== 'string')) {
        throw new AuthenticationError(
          `oidc: parse groups claim "${this.opts.groupsClaim}": not a string or an array of strings`,
        );
      }
      for (const g of list as string[]) groups.push(`${this.opts.groupsPrefix ?? ''}${g}`);
    }
    return makeUser(`${prefix}${value}`, '', groups);
  }
}

/** kube's default: claims other than email are prefixed with `<issuer>#`; "-" turns it off. */
export function usernamePrefixFor(issuer: string, claim: string, flag: string | undefined): string {
  if (flag === '-') return '';
  if (flag) return flag;
  return claim === 'email' ? '' : `${issuer}#`;
}

function oidcError(err: unknown): AuthenticationError {
  if (err instanceof AuthenticationError) return err;
  return new AuthenticationError(`oidc: verify token: ${(err as Error).message}`, { cause: err });
}
