// Builds the gateway's authenticators from its flags, in kube's order.
import { readFile } from 'node:fs/promises';
import type { WatchCacheClient } from '@splitplane/proto';
import { AudienceAgnostic } from './audience-agnostic.js';
import { BearerTokenAuthenticator, TokenUnion } from './bearer.js';
import { ClientCertVerifier, parseCaBundle } from './client-cert.js';
import { loadPublicKeys, loadSigningKey } from './keys.js';
import { type ObjectGetter, WatchCacheObjectGetter } from './object-getter.js';
import { OidcAuthenticator, type OidcOptions } from './oidc.js';
import { RequestHeaderAuthenticator } from './request-header.js';
import { ServiceAccountAuthenticator } from './service-account.js';
import { TokenFileAuthenticator } from './token-file.js';
import { TokenSigner } from './token-signer.js';
import {
  AuthenticationError,
  type AuthResult,
  type RequestAuthenticator,
  type TokenAuthenticator,
} from './types.js';
import { RequestAuthentication } from './union.js';
import { withAuthenticatedGroup } from './user.js';
import { X509Authenticator } from './x509.js';

export interface RequestHeaderFlags {
  clientCaFile: string;
  allowedNames: string[];
  usernameHeaders: string[];
  uidHeaders: string[];
  groupHeaders: string[];
  extraHeadersPrefix: string[];
}

export interface AuthenticationOptions {
  clientCaFile?: string;
  requestHeader?: RequestHeaderFlags;
  tokenAuthFile?: string;
  serviceAccountKeyFiles?: string[];
  serviceAccountIssuers?: string[];
  /** --service-account-lookup (default true): legacy tokens need their Secret. */
  serviceAccountLookup?: boolean;
  apiAudiences?: string[];
  oidc?: Omit<OidcOptions, 'ca'> & { caFile?: string };
  /** --anonymous-auth (default true). */
  anonymous?: boolean;
  serviceAccountSigningKeyFile?: string;
  /** --service-account-max-token-expiration in seconds (0: no cap). */
  serviceAccountMaxTokenExpirationSeconds?: number;
}

export interface Authentication {
  request: RequestAuthentication;
  /** The token authenticators, as a TokenReview uses them. */
  tokens: TokenAuthenticator;
  apiAudiences: string[];
  /** CA certificates the TLS server must trust for client certificates (x509 + front proxy). */
  tlsClientCa: Buffer[];
  /** Present with --service-account-signing-key-file. */
  signer?: TokenSigner;
  maxTokenExpirationSeconds: number;
  objects: ObjectGetter;
  /** kube's TokenReview: the token through the bearer-token path, with these audiences. */
  reviewToken(token: string, audiences: readonly string[]): Promise<AuthResult>;
}

export async function buildAuthentication(
  opts: AuthenticationOptions,
  watchCache: WatchCacheClient,
  objects: ObjectGetter = new WatchCacheObjectGetter(watchCache),
): Promise<Authentication> {
  const issuers = opts.serviceAccountIssuers ?? [];
  // kube: without --api-audiences the API audience is the first service account issuer.
  const apiAudiences = opts.apiAudiences?.length ? opts.apiAudiences : issuers.slice(0, 1);
  const tlsClientCa: Buffer[] = [];
  const authenticators: RequestAuthenticator[] = [];

  const rh = opts.requestHeader;
  if (rh?.clientCaFile) {
    const pem = await readFile(rh.clientCaFile);
    tlsClientCa.push(pem);
    authenticators.push(
      new RequestHeaderAuthenticator({
        verifier: new ClientCertVerifier(parseCaBundle(pem)),
        allowedNames: rh.allowedNames,
        usernameHeaders: rh.usernameHeaders,
        uidHeaders: rh.uidHeaders,
        groupHeaders: rh.groupHeaders,
        extraHeaderPrefixes: rh.extraHeadersPrefix,
      }),
    );
  }
  if (opts.clientCaFile) {
    const pem = await readFile(opts.clientCaFile);
    tlsClientCa.push(pem);
    authenticators.push(new X509Authenticator(new ClientCertVerifier(parseCaBundle(pem))));
  }

  const tokenAuthenticators: TokenAuthenticator[] = [];
  if (opts.tokenAuthFile) {
    tokenAuthenticators.push(
      new AudienceAgnostic(await TokenFileAuthenticator.fromFile(opts.tokenAuthFile), apiAudiences),
    );
  }
  if (opts.serviceAccountKeyFiles?.length) {
    tokenAuthenticators.push(
      new ServiceAccountAuthenticator({
        keys: await loadPublicKeys(opts.serviceAccountKeyFiles),
        issuers,
        apiAudiences,
        objects,
        lookup: opts.serviceAccountLookup ?? true,
      }),
    );
  }
  if (opts.oidc?.issuerUrl) {
    const { caFile, ...oidc } = opts.oidc;
    const ca = caFile ? await readFile(caFile) : undefined;
    tokenAuthenticators.push(
      new AudienceAgnostic(new OidcAuthenticator({ ...oidc, ...(ca ? { ca } : {}) }), apiAudiences),
    );
  }
  const tokens = new TokenUnion(tokenAuthenticators);
  if (tokenAuthenticators.length) {
    authenticators.push(new BearerTokenAuthenticator(tokens, apiAudiences));
  }

  const signer = opts.serviceAccountSigningKeyFile
    ? new TokenSigner(await loadSigningKey(opts.serviceAccountSigningKeyFile), issuers[0] ?? '')
    : undefined;
  if (signer && !issuers[0]) {
    throw new AuthenticationError(
      '--service-account-signing-key-file requires --service-account-issuer',
    );
  }

  return {
    request: new RequestAuthentication({
      authenticators,
      anonymous: opts.anonymous ?? true,
      apiAudiences,
    }),
    tokens,
    apiAudiences,
    tlsClientCa,
    ...(signer ? { signer } : {}),
    maxTokenExpirationSeconds: opts.serviceAccountMaxTokenExpirationSeconds ?? 0,
    objects,
    async reviewToken(token, audiences) {
      const result = await tokens.authenticateToken(token, audiences);
      if (!result) throw new AuthenticationError('invalid bearer token');
      return { ...result, user: withAuthenticatedGroup(result.user) };
    },
  };
}
