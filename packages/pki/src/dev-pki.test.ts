import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevPki, INTERNAL_SERVICES, type DevPki } from './index.js';

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'splitplane-pki-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const cert = async (path: string) => new X509Certificate(await readFile(path));
const mode = async (path: string) => (await stat(path)).mode & 0o777;

function allKeyFiles(pki: DevPki): string[] {
  return [
    pki.ca,
    pki.apiserver,
    pki.admin,
    pki.internalCa,
    pki.internal,
    ...Object.values(pki.services),
    pki.nats,
    pki.launcher,
  ]
    .map((p) => p.key)
    .concat(pki.serviceAccount.privateKey);
}

test('ensureDevPki creates the full set with the right subjects, chains and modes', async (t) => {
  const dir = await tempDir(t);
  const pki = await ensureDevPki(join(dir, 'pki'), { apiserverIpAddresses: ['10.96.0.1'] });

  const ca = await cert(pki.ca.cert);
  const internalCa = await cert(pki.internalCa.cert);
  assert.ok(ca.ca && internalCa.ca);
  assert.notEqual(ca.fingerprint256, internalCa.fingerprint256);

  const apiserver = await cert(pki.apiserver.cert);
  assert.ok(apiserver.verify(ca.publicKey));
  for (const host of [
    'localhost',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
  ]) {
    assert.equal(apiserver.checkHost(host), host);
  }
  for (const ip of ['127.0.0.1', '::1', '10.96.0.1']) assert.ok(apiserver.checkIP(ip), ip);

  const admin = await cert(pki.admin.cert);
  assert.ok(admin.verify(ca.publicKey));
  assert.equal(admin.subject, 'O=system:masters\nCN=kubernetes-admin');

  const internal = await cert(pki.internal.cert);
  assert.ok(internal.verify(internalCa.publicKey));
  assert.equal(internal.verify(ca.publicKey), false, 'internal services chain to their own CA');
  assert.equal(internal.keyUsage?.length, 2);

  const saPrivate = createPrivateKey(await readFile(pki.serviceAccount.privateKey));
  const saPublic = createPublicKey(await readFile(pki.serviceAccount.publicKey));
  assert.equal(saPrivate.asymmetricKeyType, 'rsa');
  assert.deepEqual(
    createPublicKey(saPrivate).export({ format: 'der', type: 'spki' }),
    saPublic.export({ format: 'der', type: 'spki' }),
  );

  for (const key of allKeyFiles(pki)) assert.equal(await mode(key), 0o600, key);
  assert.equal(await mode(pki.ca.cert), 0o644);
});

test('ensureDevPki issues one internal certificate per service, named by its CN', async (t) => {
  const dir = await tempDir(t);
  const pki = await ensureDevPki(dir, { internalDnsNames: ['registry.ns.svc'] });
  const internalCa = await cert(pki.internalCa.cert);
  const ca = await cert(pki.ca.cert);
  assert.deepEqual(Object.keys(pki.services), [...INTERNAL_SERVICES]);
  for (const [name, paths] of [
    ...Object.entries(pki.services),
    ['nats', pki.nats],
    ['launcher', pki.launcher],
  ] as const) {
    const leaf = await cert(paths.cert);
    assert.equal(leaf.subject, `CN=${name}`);
    assert.ok(leaf.verify(internalCa.publicKey), name);
    assert.equal(leaf.verify(ca.publicKey), false, name);
    assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'], name);
    for (const host of ['localhost', name, `splitplane-${name}`, 'registry.ns.svc'])
      assert.equal(leaf.checkHost(host), host, `${name}: ${host}`);
    assert.ok(leaf.checkIP('127.0.0.1'), name);
  }
  const again = await ensureDevPki(dir, { internalDnsNames: ['registry.ns.svc'] });
  assert.equal(
    await readFile(again.services.gateway.cert, 'utf8'),
    await readFile(pki.services.gateway.cert, 'utf8'),
    'kept while still good',
  );
});

test('ensureDevPki reuses what exists and reissues only what is missing or stale', async (t) => {
  const dir = await tempDir(t);
  const first = await ensureDevPki(dir);
  const before = {
    ca: await readFile(first.ca.cert, 'utf8'),
    apiserver: await readFile(first.apiserver.cert, 'utf8'),
    admin: await readFile(first.admin.cert, 'utf8'),
    sa: await readFile(first.serviceAccount.privateKey, 'utf8'),
  };

  const second = await ensureDevPki(dir);
  assert.deepEqual(second, first);
  assert.equal(await readFile(second.ca.cert, 'utf8'), before.ca);
  assert.equal(await readFile(second.apiserver.cert, 'utf8'), before.apiserver);
  assert.equal(await readFile(second.admin.cert, 'utf8'), before.admin);
  assert.equal(await readFile(second.serviceAccount.privateKey, 'utf8'), before.sa);

  // A missing leaf is reissued from the same CA; the others stay.
  await unlink(first.admin.cert);
  await ensureDevPki(dir);
  const admin = await cert(first.admin.cert);
  assert.notEqual(await readFile(first.admin.cert, 'utf8'), before.admin);
  assert.ok(admin.verify((await cert(first.ca.cert)).publicKey));
  assert.equal(await readFile(first.apiserver.cert, 'utf8'), before.apiserver);

  // Asking for a SAN the serving cert lacks reissues it.
  await ensureDevPki(dir, { apiserverDnsNames: ['gw.example.test'] });
  const apiserver = await cert(first.apiserver.cert);
  assert.equal(apiserver.checkHost('gw.example.test'), 'gw.example.test');
  assert.equal(await readFile(first.ca.cert, 'utf8'), before.ca);
});

test('concurrent ensureDevPki calls agree on one CA', async (t) => {
  const dir = await tempDir(t);
  const [a, b, c] = await Promise.all([ensureDevPki(dir), ensureDevPki(dir), ensureDevPki(dir)]);
  assert.deepEqual(a, b);
  assert.deepEqual(b, c);
  const ca = await cert(a.ca.cert);
  for (const leaf of [a.apiserver, a.admin])
    assert.ok((await cert(leaf.cert)).verify(ca.publicKey));
});

test('a corrupt CA is reported, not silently replaced', async (t) => {
  const dir = await tempDir(t);
  const pki = await ensureDevPki(dir);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(pki.ca.cert, 'garbage');
  await assert.rejects(ensureDevPki(dir), { name: 'InvalidPkiFileError' });
});
