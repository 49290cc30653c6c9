// Gateway flags (flags.ts) -> AuthenticationOptions.
import type { Flags } from '@splitplane/kit';
import type { GATEWAY_FLAGS } from '../flags.js';
import { parseGoDuration } from '../duration.js';
import type { AuthenticationOptions } from './build.js';

export class AuthenticationFlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationFlagError';
  }
}

export function authenticationFromFlags(
  flags: Flags<typeof GATEWAY_FLAGS>,
): Omit<AuthenticationOptions, 'clientCaFile'> {
  const required: Record<string, string> = {};
  for (const kv of flags['oidc-required-claim'] as string[]) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new AuthenticationFlagError(`--oidc-required-claim ${kv}: want key=value`);
    required[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  if (flags['oidc-issuer-url'] && !flags['oidc-issuer-url'].startsWith('https://')) {
    throw new AuthenticationFlagError(
      `--oidc-issuer-url ${flags['oidc-issuer-url']}: the issuer URL must use the https scheme`,
    );
  }
  if (flags['oidc-issuer-url'] && !flags['oidc-client-id']) {
    throw new AuthenticationFlagError('--oidc-client-id is required with --oidc-issuer-url');
  }
  const maxExpirationMs = parseGoDuration(flags['service-account-max-token-expiration']);
  return {
    ...(flags['requestheader-client-ca-file']
      ? {
          requestHeader: {
            clientCaFile: flags['requestheader-client-ca-file'],
            allowedNames: flags['requestheader-allowed-names'],
            usernameHeaders: flags['requestheader-username-headers'],
            uidHeaders: flags['requestheader-uid-headers'],
            groupHeaders: flags['requestheader-group-headers'],
            extraHeadersPrefix: flags['requestheader-extra-headers-prefix'],
          },
        }
      : {}),
    ...(flags['token-auth-file'] ? { tokenAuthFile: flags['token-auth-file'] } : {}),
    serviceAccountKeyFiles: flags['service-account-key-file'],
    serviceAccountIssuers: flags['service-account-issuer'],
    serviceAccountLookup: flags['service-account-lookup'],
    apiAudiences: flags['api-audiences'],
    ...(flags['service-account-signing-key-file']
      ? { serviceAccountSigningKeyFile: flags['service-account-signing-key-file'] }
      : {}),
    serviceAccountMaxTokenExpirationSeconds: Math.floor(maxExpirationMs / 1000),
    ...(flags['oidc-issuer-url']
      ? {
          oidc: {
            issuerUrl: flags['oidc-issuer-url'],
            clientId: flags['oidc-client-id'],
            usernameClaim: flags['oidc-username-claim'],
            ...(flags['oidc-username-prefix']
              ? { usernamePrefix: flags['oidc-username-prefix'] }
              : {}),
            ...(flags['oidc-groups-claim'] ? { groupsClaim: flags['oidc-groups-claim'] } : {}),
            ...(flags['oidc-groups-prefix'] ? { groupsPrefix: flags['oidc-groups-prefix'] } : {}),
            ...(flags['oidc-ca-file'] ? { caFile: flags['oidc-ca-file'] } : {}),
            requiredClaims: required,
            signingAlgs: flags['oidc-signing-algs'],
          },
        }
      : {}),
    anonymous: flags['anonymous-auth'],
  };
}
