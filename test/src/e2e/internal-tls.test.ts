// The links inside a launched plane (DESIGN §1, §4): every gRPC service demands a client
// certificate from the internal CA, only the gateway may assert a user (any other caller runs
// as system:apiserver), and NATS refuses clients without TLS and the password.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type ChannelCredentials,
  type Client,
  credentials as grpcCredentials,
  Metadata,
  type ServiceError,
  status as GrpcCode,
} from '@grpc/grpc-js';
import { connect } from '@nats-io/transport-node';
import {
  type GrpcCredentials,
  HealthChecker,
  dial,
  grpcCredentialsFromPem,
  insecureGrpcCredentials,
} from '@splitplane/kit';
import type { LauncherState } from '@splitplane/launcher';
import { createCA, ensureDevPki, issueServerCert, type DevPki } from '@splitplane/pki';
import {
  AdmissionClient,
  AuthorizerClient,
  type CreateRequest,
  RegistryClient,
  WatchCacheClient,
} from '@splitplane/proto';
import { waitFor } from '@splitplane/testing';
import { ok, startPlane, type Plane } from './plane.js';

type Target = 'admission' | 'authz' | 'registry' | 'watch-cache';

/** One real RPC per service, answered or refused; the request content does not matter. */
function probe(target: Target, address: string, creds: ChannelCredentials | GrpcCredentials) {
  const deadline = { deadline: new Date(Date.now() + 15_000) };
  const run = <C extends Client>(
    client: C,
    invoke: (cb: (err: ServiceError | null) => void) => void,
  ) =>
    new Promise<ServiceError | null>((resolve) =>
      invoke((err) => {
        client.close();
        resolve(err);
      }),
    );
  switch (target) {
    case 'admission': {
      const c = dial(AdmissionClient, address, creds);
      return run(c, (cb) => c.describe({}, new Metadata(), deadline, cb));
    }
    case 'authz': {
      const c = dial(AuthorizerClient, address, creds);
      return run(c, (cb) =>
        c.authorize(
          {
            user: undefined,
            verb: 'get',
            resourceRequest: false,
            path: '/healthz',
            apiGroup: '',
            apiVersion: '',
            resource: '',
            subresource: '',
            namespace: '',
            name: '',
          },
          new Metadata(),
          deadline,
          cb,
        ),
      );
    }
    case 'registry': {
      const c = dial(RegistryClient, address, creds);
      return run(c, (cb) => c.get({ attributes: undefined }, new Metadata(), deadline, cb));
    }
    case 'watch-cache': {
      const c = dial(WatchCacheClient, address, creds);
      return run(c, (cb) =>
        c.get({ attributes: undefined, resourceVersion: '' }, new Metadata(), deadline, cb),
      );
    }
  }
}

function createClusterRole(
  registry: string,
  creds: GrpcCredentials,
  name: string,
): Promise<{ error: ServiceError | null }> {
  const request: CreateRequest = {
    attributes: {
      // What a compromised non-gateway service might claim.
      user: { username: 'mallory', uid: '', groups: ['system:authenticated'], extra: {} },
      resource: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' },
      namespace: '',
      name: '',
      subresource: '',
      dryRun: false,
      fieldManager: 'internal-tls-test',
      fieldValidation: '',
      auditId: '',
    },
    object: Buffer.from(
      JSON.stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name },
        // Everything: only a system:masters user may grant it without holding it.
        rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
      }),
    ),
  };
  const client = dial(RegistryClient, registry, creds);
  return new Promise((resolve) =>
    client.create(request, new Metadata(), { deadline: new Date(Date.now() + 30_000) }, (error) => {
      client.close();
      resolve({ error });
    }),
  );
}

describe('internal links of a launched plane', { timeout: 240_000 }, () => {
  let plane: Plane;
  let pki: DevPki;
  let addresses: Record<Target, string>;
  let natsPort = 0;
  let natsMonitorPort = 0;
  const own = async (name: keyof DevPki['services']): Promise<GrpcCredentials> =>
    grpcCredentialsFromPem({
      cert: await readFile(pki.services[name].cert),
      key: await readFile(pki.services[name].key),
      ca: await readFile(pki.internalCa.cert),
    });

  before(async () => {
    plane = await startPlane();
    pki = await ensureDevPki(join(plane.dataDir, 'pki'));
    const state = JSON.parse(
      await readFile(join(plane.dataDir, 'state.json'), 'utf8'),
    ) as LauncherState;
    const at = (port: number) => `127.0.0.1:${port}`;
    addresses = {
      admission: at(state.ports.admission),
      authz: at(state.ports.authz),
      registry: at(state.ports.registry),
      'watch-cache': at(state.ports.watchCache),
    };
    natsPort = state.ports.nats;
    natsMonitorPort = state.ports.natsMonitor;
  });

  after(async () => {
    await plane?.stop();
  });

  const targets: Target[] = ['admission', 'authz', 'registry', 'watch-cache'];

  it('every service answers a caller with an internal certificate', async () => {
    const gateway = await own('gateway');
    for (const target of targets) {
      const checker = new HealthChecker(addresses[target], gateway);
      try {
        assert.equal(await checker.check('', 10_000), true, target);
      } finally {
        checker.close();
      }
    }
  });

  it('every service refuses a TLS caller without a client certificate', async () => {
    const bare = grpcCredentials.createSsl(await readFile(pki.internalCa.cert));
    for (const target of targets) {
      const err = await probe(target, addresses[target], bare);
      assert.equal(err?.code, GrpcCode.UNAVAILABLE, `${target}: ${err?.message ?? 'answered'}`);
    }
  });

  it('every service refuses a certificate from another CA, even one named gateway', async () => {
    const foreignCa = await createCA('foreign-ca');
    const foreign = await issueServerCert(foreignCa, { commonName: 'gateway', clientAuth: true });
    const creds = grpcCredentialsFromPem({
      cert: Buffer.from(foreign.certPem),
      key: Buffer.from(foreign.keyPem),
      ca: await readFile(pki.internalCa.cert),
    });
    for (const target of targets) {
      const err = await probe(target, addresses[target], creds);
      assert.equal(err?.code, GrpcCode.UNAVAILABLE, `${target}: ${err?.message ?? 'answered'}`);
    }
  });

  it('every service refuses a plaintext caller', async () => {
    for (const target of targets) {
      const err = await probe(target, addresses[target], insecureGrpcCredentials());
      assert.equal(err?.code, GrpcCode.UNAVAILABLE, `${target}: ${err?.message ?? 'answered'}`);
    }
  });

  it('NATS refuses clients without TLS or without the password', async () => {
    const servers = `nats://127.0.0.1:${natsPort}`;
    const attempt = (opts: Parameters<typeof connect>[0]) =>
      connect({ servers, reconnect: false, timeout: 5_000, ...opts });
    const password = (await readFile(join(plane.dataDir, 'nats-password'), 'utf8')).trim();
    const tls = {
      caFile: pki.internalCa.cert,
      certFile: pki.services.gateway.cert,
      keyFile: pki.services.gateway.key,
    };
    await assert.rejects(attempt({}), 'no TLS, no credentials');
    await assert.rejects(attempt({ user: 'splitplane', pass: password }), 'password without TLS');
    await assert.rejects(attempt({ tls }), 'TLS without the password');
    await assert.rejects(
      attempt({ tls, user: 'splitplane', pass: 'wrong' }),
      'TLS with a wrong password',
    );
    await assert.rejects(
      attempt({ tls: { caFile: pki.internalCa.cert }, user: 'splitplane', pass: password }),
      'password without a client certificate',
    );
    const nc = await attempt({ tls, user: 'splitplane', pass: password });
    await nc.close();
  });

  it("the plane's own NATS clients connect with TLS as the NATS user", async () => {
    type Conn = { name?: string; tls_version?: string; authorized_user?: string };
    const connz = async () =>
      (
        (await (await fetch(`http://127.0.0.1:${natsMonitorPort}/connz?auth=true`)).json()) as {
          connections: Conn[];
        }
      ).connections;
    // The gateway connects to NATS in the background: readiness does not wait for it.
    const wanted = ['splitplane-gateway', 'watch-cache', 'authz'];
    const connections = await waitFor(
      async () => {
        const list = await connz();
        return wanted.every((n) => list.some((c) => c.name === n)) ? list : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, message: `NATS connections of ${wanted.join(', ')}` },
    );
    for (const c of connections) {
      assert.ok(c.tls_version, `${c.name} uses TLS`);
      assert.equal(c.authorized_user, 'splitplane', `${c.name}`);
    }
  });

  it('a user asserted by a non-gateway service runs as system:apiserver', async () => {
    // The registry's RBAC escalation prevention asks authz (ConfirmNoEscalation) before
    // anyone but a system:masters user may write an RBAC object (kube's EscalationAllowed).
    // With authz down, that question cannot be answered, whatever the authorization mode:
    // "mallory" asserted by the gateway is refused, while the same request sent with the
    // authz certificate runs as system:apiserver (system:masters) and needs no answer.
    await plane.kill('authz');
    try {
      const viaGateway = await createClusterRole(
        addresses.registry,
        await own('gateway'),
        'internal-tls-gateway',
      );
      assert.ok(viaGateway.error, 'mallory, asserted by the gateway, was checked against authz');
      assert.match(viaGateway.error.details, /authz/, viaGateway.error.message);
      const viaAuthz = await createClusterRole(
        addresses.registry,
        await own('authz'),
        'internal-tls-authz',
      );
      assert.equal(viaAuthz.error, null, viaAuthz.error?.message);
    } finally {
      await plane.restart('authz');
    }
    const names = await ok(plane.kubectl(['get', 'clusterroles', '-o', 'name']));
    assert.match(names, /clusterrole\.rbac\.authorization\.k8s\.io\/internal-tls-authz/);
    assert.doesNotMatch(names, /internal-tls-gateway/);
  });
});
