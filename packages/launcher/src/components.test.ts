import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DevPki } from '@splitplane/pki';
import { baseName, components, replicaName, watchCacheTarget, type Ports } from './components.js';

const paths = (name: string) => ({ cert: `/pki/${name}.crt`, key: `/pki/${name}.key` });
const pki = {
  dir: '/pki',
  ca: paths('ca'),
  apiserver: paths('apiserver'),
  admin: paths('admin'),
  internalCa: paths('internal-ca'),
  internal: paths('internal'),
  services: Object.fromEntries(
    ['gateway', 'authz', 'registry', 'admission', 'watch-cache'].map((n) => [n, paths(n)]),
  ),
  nats: paths('nats'),
  launcher: paths('launcher'),
} as unknown as DevPki;

const ports: Ports = {
  etcdClient: 1001,
  etcdPeer: 1002,
  nats: 1003,
  natsMonitor: 1004,
  admission: 1005,
  authz: 1006,
  registry: 1007,
  watchCache: 2000,
  gateway: 3000,
  watchCaches: [2000, 2001],
  gateways: [3000, 3001, 3002],
};

const byName = (list: ReturnType<typeof components>) => new Map(list.map((c) => [c.name, c]));

describe('components', () => {
  it('runs one process per replica, replica 0 under the plain name', () => {
    const plan = components('/data', ports, pki);
    assert.deepEqual(
      plan.map((c) => c.name),
      [
        'etcd',
        'nats',
        'admission',
        'authz',
        'registry',
        'watch-cache',
        'watch-cache-1',
        'gateway',
        'gateway-1',
        'gateway-2',
      ],
    );
    const c = byName(plan);
    assert.ok(c.get('watch-cache-1')!.args.includes('--listen-address=127.0.0.1:2001'));
    assert.ok(c.get('gateway-2')!.args.includes('--secure-port=3002'));
    assert.deepEqual(c.get('gateway-2')!.readiness, {
      kind: 'gateway',
      url: 'https://127.0.0.1:3002/readyz',
    });
  });

  it('points every gateway at every watch-cache replica and both at NATS', () => {
    const c = byName(components('/data', ports, pki));
    for (const name of ['gateway', 'gateway-1', 'gateway-2']) {
      const args = c.get(name)!.args;
      assert.ok(args.includes('--watch-cache-address=ipv4:127.0.0.1:2000,127.0.0.1:2001'), name);
      assert.ok(args.includes('--nats-servers=nats://127.0.0.1:1003'), name);
    }
    for (const name of ['watch-cache', 'watch-cache-1']) {
      assert.ok(c.get(name)!.args.includes('--nats-servers=nats://127.0.0.1:1003'), name);
    }
  });

  it('starts admission with the watch-cache, following it and NATS, before authz writes', () => {
    const c = byName(components('/data', ports, pki));
    const admission = c.get('admission')!;
    assert.equal(admission.stage, c.get('watch-cache')!.stage);
    assert.ok(admission.stage < c.get('authz')!.stage);
    for (const flag of [
      '--watch-cache-address=ipv4:127.0.0.1:2000,127.0.0.1:2001',
      '--nats-servers=nats://127.0.0.1:1003',
      '--registry-address=127.0.0.1:1007',
      '--authz-address=127.0.0.1:1006',
      '--nats-cert-file=/pki/admission.crt',
    ])
      assert.ok(admission.args.includes(flag), flag);
  });

  it('keeps the plain host:port target for a single watch-cache', () => {
    assert.equal(watchCacheTarget([2000]), '127.0.0.1:2000');
    assert.equal(watchCacheTarget([2000, 2001]), 'ipv4:127.0.0.1:2000,127.0.0.1:2001');
  });

  it('appends extra flags to every replica of a component, after its own', () => {
    const plain = byName(components('/data', ports, pki));
    const c = byName(components('/data', ports, pki, { gateway: ['--goaway-chance=0.5'] }));
    for (const name of ['gateway', 'gateway-1', 'gateway-2']) {
      assert.deepEqual(c.get(name)!.args, [...plain.get(name)!.args, '--goaway-chance=0.5']);
    }
    assert.deepEqual(c.get('watch-cache')!.args, plain.get('watch-cache')!.args);
  });

  it('gives every service its own certificate for gRPC, and NATS clients their credentials', () => {
    const c = byName(components('/data', ports, pki));
    for (const name of ['admission', 'authz', 'registry', 'watch-cache-1', 'gateway-2']) {
      const own = baseName(name);
      const args = c.get(name)!.args;
      assert.ok(args.includes(`--grpc-tls-cert-file=/pki/${own}.crt`), name);
      assert.ok(args.includes(`--grpc-tls-private-key-file=/pki/${own}.key`), name);
      assert.ok(args.includes('--grpc-client-ca-file=/pki/internal-ca.crt'), name);
    }
    for (const name of ['gateway', 'watch-cache']) {
      const args = c.get(name)!.args;
      assert.ok(args.includes(`--nats-cert-file=/pki/${name}.crt`), name);
      assert.ok(args.includes('--nats-ca-file=/pki/internal-ca.crt'), name);
      assert.ok(args.includes('--nats-user=splitplane'), name);
      assert.ok(args.includes('--nats-password-file=/data/nats-password'), name);
    }
    assert.ok(!c.get('registry')!.args.some((a) => a.startsWith('--nats-')));
    assert.ok(!c.get('etcd')!.args.some((a) => a.startsWith('--grpc-')));
    const nats = c.get('nats')!.args;
    assert.equal(nats[nats.indexOf('-c') + 1], '/data/nats.conf');
  });

  it('names replicas and maps names back to their component', () => {
    assert.equal(replicaName('gateway', 0), 'gateway');
    assert.equal(replicaName('gateway', 2), 'gateway-2');
    assert.equal(baseName('watch-cache-1'), 'watch-cache');
    assert.equal(baseName('watch-cache'), 'watch-cache');
    assert.equal(baseName('etcd'), 'etcd');
  });
});
