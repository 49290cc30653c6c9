#!/usr/bin/env node
// splitplane-gateway: the HTTPS front door (kube-apiserver's filters and REST surface).
import { grpcCredentialsFromFlags, natsSecurityFromFlags, runService } from '@splitplane/kit';
import { GATEWAY_FLAGS } from './flags.js';
import { parseGoDuration } from './duration.js';
import { startGateway } from './server/gateway.js';
import { setLogger } from './logger.js';
import { authenticationFromFlags } from './authn/flags.js';

await runService({
  name: 'gateway',
  flags: GATEWAY_FLAGS,
  async start(flags, log) {
    setLogger(log);
    const gateway = await startGateway({
      bindAddress: flags['bind-address'],
      securePort: flags['secure-port'],
      tlsCertFile: flags['tls-cert-file'],
      tlsPrivateKeyFile: flags['tls-private-key-file'],
      clientCaFile: flags['client-ca-file'],
      authentication: authenticationFromFlags(flags),
      registryAddress: flags['registry-address'],
      watchCacheAddress: flags['watch-cache-address'],
      authzAddress: flags['authz-address'],
      grpcCredentials: await grpcCredentialsFromFlags(flags, log),
      admissionAddress: flags['admission-address'] || undefined,
      etcdServers: flags['etcd-servers'],
      maxRequestsInflight: flags['max-requests-inflight'],
      maxMutatingRequestsInflight: flags['max-mutating-requests-inflight'],
      requestTimeoutMs: parseGoDuration(flags['request-timeout']),
      minRequestTimeoutSeconds: flags['min-request-timeout'],
      corsAllowedOrigins: flags['cors-allowed-origins'],
      goawayChance: flags['goaway-chance'],
      maxRequestBodyBytes: flags['max-request-body-bytes'],
      natsServers: flags['nats-servers'],
      natsSecurity: await natsSecurityFromFlags(flags),
      watchBookmarkIntervalSeconds: flags['watch-bookmark-interval'],
      testingNatsDropFraction: flags['testing-nats-drop-fraction'],
      log,
      authorizationCacheEnabled: flags['authorization-cache'],
      authorizationCacheAuthorizedTtlMs: ttlFlag(flags, 'authorization-cache-authorized-ttl'),
      authorizationCacheUnauthorizedTtlMs: ttlFlag(flags, 'authorization-cache-unauthorized-ttl'),
    });
    log.info({ port: gateway.port, bindAddress: flags['bind-address'] }, 'serving HTTPS');
    return gateway;
  },
});

function ttlFlag(flags: Record<string, unknown>, name: string): number {
  const ms = parseGoDuration(String(flags[name]));
  if (ms < 0) throw new Error(`--${name} must not be negative, got ${String(flags[name])}`);
  return ms;
}
