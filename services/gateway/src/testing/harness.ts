// Starts a gateway in-process against fake gRPC backends, with a dev PKI in a temp dir and
// client identities for the admin (system:masters) and an unprivileged "bob".
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevPki, issueClientCert } from '@splitplane/pki';
import { type GatewayOptions, type RunningGateway, startGateway } from '../server/gateway.js';
import { type FakeBackends, startFakeBackends } from './fake-backends.js';
import {
  type ClientIdentity,
  type RequestOptions,
  type TestResponse,
  httpsCall,
} from './https-client.js';

export interface Harness {
  gateway: RunningGateway;
  backends: FakeBackends;
  admin: ClientIdentity;
  bob: ClientIdentity;
  anonymous: ClientIdentity;
  call(
    method: string,
    path: string,
    opts?: RequestOptions & { as?: ClientIdentity },
  ): Promise<TestResponse>;
  stop(): Promise<void>;
}

export async function startHarness(overrides: Partial<GatewayOptions> = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'gateway-test-'));
  const pki = await ensureDevPki(dir);
  const [caPem, caKey, adminCert, adminKey] = await Promise.all([
    readFile(pki.ca.cert, 'utf8'),
    readFile(pki.ca.key, 'utf8'),
    readFile(pki.admin.cert, 'utf8'),
    readFile(pki.admin.key, 'utf8'),
  ]);
  const bobPair = await issueClientCert(
    { certPem: caPem, keyPem: caKey },
    { commonName: 'bob', organizations: ['dev'] },
  );
  const backends = await startFakeBackends();
  const gateway = await startGateway({
    bindAddress: '127.0.0.1',
    securePort: 0,
    tlsCertFile: pki.apiserver.cert,
    tlsPrivateKeyFile: pki.apiserver.key,
    clientCaFile: pki.ca.cert,
    registryAddress: backends.address,
    watchCacheAddress: backends.address,
    authzAddress: backends.address,
    maxRequestsInflight: 400,
    maxMutatingRequestsInflight: 200,
    requestTimeoutMs: 60_000,
    minRequestTimeoutSeconds: 1800,
    corsAllowedOrigins: [],
    goawayChance: 0,
    maxRequestBodyBytes: 3 * 1024 * 1024,
    ...overrides,
  });
  const admin = { ca: caPem, cert: adminCert, key: adminKey };
  const bob = { ca: caPem, cert: bobPair.certPem, key: bobPair.keyPem };
  const anonymous = { ca: caPem };
  return {
    gateway,
    backends,
    admin,
    bob,
    anonymous,
    call: (method, path, opts = {}) =>
      httpsCall(gateway.port, opts.as ?? admin, method, path, opts),
    async stop() {
      await gateway.stop();
      await backends.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
