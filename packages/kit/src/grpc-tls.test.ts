import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  credentials as grpcCredentials,
  Metadata,
  status as GrpcCode,
  type ServiceError,
} from '@grpc/grpc-js';
import { createCA, issueServerCert, type CertAndKey } from '@splitplane/pki';
import {
  AuthorizerClient,
  AuthorizerService,
  AuthorizeRequest,
  type AuthorizeResponse,
  Decision,
  GetRequest,
  type ObjectResponse,
  WatchCacheClient,
  WatchCacheService,
} from '@splitplane/proto';
import {
  GrpcTlsFlagError,
  grpcCredentialsFromFlags,
  grpcCredentialsFromPem,
  insecureGrpcCredentials,
  type GrpcCredentials,
} from './grpc-tls.js';
import { INTERNAL_USER_GROUPS, INTERNAL_USER_NAME } from './caller-identity.js';
import { dial } from './grpc-client.js';
import {
  startGrpcServer,
  unary,
  type GrpcServerHandle,
  type ServiceRegistration,
} from './grpc-server.js';

const MALLORY = { username: 'mallory', uid: '', groups: ['evil'], extra: {} };

/** Echoes the user each request runs as: `request.user` and `request.attributes.user`. */
const echoServices: ServiceRegistration[] = [
  {
    name: 'splitplane.v1.Authorizer',
    definition: AuthorizerService,
    implementation: {
      authorize: unary<AuthorizeRequest, AuthorizeResponse>(async (req) => ({
        decision: Decision.DECISION_ALLOW,
        reason: JSON.stringify(req.user ?? null),
        evaluationError: '',
      })),
    },
  },
  {
    name: 'splitplane.v1.WatchCache',
    definition: WatchCacheService,
    implementation: {
      get: unary<GetRequest, ObjectResponse>(async (req) => ({
        object: Buffer.from(JSON.stringify(req.attributes?.user ?? null)),
        code: 200,
        warnings: [],
      })),
    },
  },
];

function pem(pair: CertAndKey) {
  return { cert: Buffer.from(pair.certPem), key: Buffer.from(pair.keyPem) };
}

async function serviceCert(ca: CertAndKey, cn: string): Promise<CertAndKey> {
  return issueServerCert(ca, { commonName: cn, clientAuth: true });
}

function authorize(client: AuthorizerClient): Promise<AuthorizeResponse> {
  return new Promise((resolve, reject) =>
    client.authorize(
      AuthorizeRequest.fromPartial({ user: MALLORY }),
      new Metadata(),
      { deadline: new Date(Date.now() + 10_000) },
      (err: ServiceError | null, res: AuthorizeResponse) => (err ? reject(err) : resolve(res)),
    ),
  );
}

function get(client: WatchCacheClient): Promise<ObjectResponse> {
  return new Promise((resolve, reject) =>
    client.get(
      GetRequest.fromPartial({ attributes: { user: MALLORY } }),
      new Metadata(),
      { deadline: new Date(Date.now() + 10_000) },
      (err: ServiceError | null, res: ObjectResponse) => (err ? reject(err) : resolve(res)),
    ),
  );
}

describe('gRPC mutual TLS and the caller-identity rule', { timeout: 60_000 }, () => {
  let internalCa: CertAndKey;
  let creds: Record<'gateway' | 'authz' | 'foreign', GrpcCredentials>;
  let server: GrpcServerHandle;
  let target = '';
  const clients: Array<{ close(): void }> = [];
  const open = <C extends { close(): void }>(c: C): C => {
    clients.push(c);
    return c;
  };

  before(async () => {
    internalCa = await createCA('test-internal-ca');
    const foreignCa = await createCA('foreign-ca');
    const ca = Buffer.from(internalCa.certPem);
    creds = {
      gateway: grpcCredentialsFromPem({ ...pem(await serviceCert(internalCa, 'gateway')), ca }),
      authz: grpcCredentialsFromPem({ ...pem(await serviceCert(internalCa, 'authz')), ca }),
      // Trusts our server, but its own certificate comes from elsewhere.
      foreign: grpcCredentialsFromPem({ ...pem(await serviceCert(foreignCa, 'gateway')), ca }),
    };
    const registryCreds = grpcCredentialsFromPem({
      ...pem(await serviceCert(internalCa, 'registry')),
      ca,
    });
    server = await startGrpcServer('127.0.0.1:0', echoServices, registryCreds);
    target = `127.0.0.1:${server.port}`;
  });

  after(async () => {
    for (const c of clients) c.close();
    await server?.stop(100);
  });

  const assertRefused = async (promise: Promise<unknown>) => {
    await assert.rejects(promise, (err: ServiceError) => {
      assert.equal(err.code, GrpcCode.UNAVAILABLE, err.message);
      return true;
    });
  };

  it('refuses a TLS client without a certificate', async () => {
    const bare = grpcCredentials.createSsl(Buffer.from(internalCa.certPem));
    await assertRefused(authorize(open(dial(AuthorizerClient, target, bare))));
  });

  it('refuses a client whose certificate another CA signed', async () => {
    await assertRefused(authorize(open(dial(AuthorizerClient, target, creds.foreign))));
  });

  it('refuses a plaintext client', async () => {
    await assertRefused(authorize(open(dial(AuthorizerClient, target, insecureGrpcCredentials()))));
  });

  it('keeps the user the gateway asserts', async () => {
    const res = await authorize(open(dial(AuthorizerClient, target, creds.gateway)));
    assert.deepEqual(JSON.parse(res.reason), MALLORY);
    const obj = await get(open(dial(WatchCacheClient, target, creds.gateway)));
    assert.deepEqual(JSON.parse(obj.object.toString()), MALLORY);
  });

  it('runs any other service as system:apiserver, whatever user it asserts', async () => {
    const internal = {
      username: INTERNAL_USER_NAME,
      uid: '',
      groups: [...INTERNAL_USER_GROUPS],
      extra: {},
    };
    assert.deepEqual(internal.groups, ['system:masters', 'system:authenticated']);
    const res = await authorize(open(dial(AuthorizerClient, target, creds.authz)));
    assert.deepEqual(JSON.parse(res.reason), internal);
    const obj = await get(open(dial(WatchCacheClient, target, creds.authz)));
    assert.deepEqual(JSON.parse(obj.object.toString()), internal);
  });

  it('reads each connection’s certificate once, and keeps connections apart', async () => {
    const gateway = open(dial(AuthorizerClient, target, creds.gateway));
    const authz = open(dial(AuthorizerClient, target, creds.authz));
    await Promise.all([authorize(gateway), authorize(authz)]);
    const original = TLSSocket.prototype.getPeerCertificate;
    let reads = 0;
    TLSSocket.prototype.getPeerCertificate = function (this: TLSSocket, ...args: [boolean?]) {
      reads++;
      return original.apply(this, args);
    } as typeof original;
    try {
      for (let i = 0; i < 5; i++) {
        const [asGateway, asAuthz] = await Promise.all([authorize(gateway), authorize(authz)]);
        assert.deepEqual(JSON.parse(asGateway.reason), MALLORY);
        assert.equal(JSON.parse(asAuthz.reason).username, INTERNAL_USER_NAME);
      }
    } finally {
      TLSSocket.prototype.getPeerCertificate = original;
    }
    assert.equal(reads, 0);
  });

  it('keeps asserted users on a plaintext server, as before mutual TLS', async () => {
    const plain = await startGrpcServer('127.0.0.1:0', echoServices);
    try {
      const client = open(dial(AuthorizerClient, `127.0.0.1:${plain.port}`));
      assert.deepEqual(JSON.parse((await authorize(client)).reason), MALLORY);
    } finally {
      await plain.stop(100);
    }
  });
});

describe('grpcCredentialsFromFlags', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'grpc-tls-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const none = {
    'grpc-tls-cert-file': '',
    'grpc-tls-private-key-file': '',
    'grpc-client-ca-file': '',
  };

  it('is plaintext without the flags', async () => {
    assert.equal((await grpcCredentialsFromFlags(none)).secure, false);
  });

  it('refuses some flags without the others', async () => {
    await assert.rejects(
      grpcCredentialsFromFlags({ ...none, 'grpc-tls-cert-file': '/x.crt' }),
      (err: Error) => err instanceof GrpcTlsFlagError && /go together/.test(err.message),
    );
  });

  it('names the flag whose file cannot be read', async () => {
    await assert.rejects(
      grpcCredentialsFromFlags({
        'grpc-tls-cert-file': join(dir, 'missing.crt'),
        'grpc-tls-private-key-file': join(dir, 'missing.key'),
        'grpc-client-ca-file': join(dir, 'missing-ca.crt'),
      }),
      /--grpc-tls-cert-file: cannot read/,
    );
  });

  it('loads the three files into mutual TLS credentials', async () => {
    const ca = await createCA('flags-ca');
    const leaf = await serviceCert(ca, 'watch-cache');
    const files = {
      'grpc-tls-cert-file': join(dir, 'a.crt'),
      'grpc-tls-private-key-file': join(dir, 'a.key'),
      'grpc-client-ca-file': join(dir, 'ca.crt'),
    };
    await writeFile(files['grpc-tls-cert-file'], leaf.certPem);
    await writeFile(files['grpc-tls-private-key-file'], leaf.keyPem);
    await writeFile(files['grpc-client-ca-file'], ca.certPem);
    const loaded = await grpcCredentialsFromFlags(files);
    assert.equal(loaded.secure, true);
    const server = await startGrpcServer('127.0.0.1:0', echoServices, loaded);
    try {
      const client = dial(AuthorizerClient, `127.0.0.1:${server.port}`, loaded);
      try {
        // The watch-cache may not assert users: the asserted one is replaced.
        assert.equal(JSON.parse((await authorize(client)).reason).username, INTERNAL_USER_NAME);
      } finally {
        client.close();
      }
    } finally {
      await server.stop(100);
    }
  });
});
