import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { parse } from 'yaml';
import { ensureDevPki, writeKubeconfig } from './index.js';

const KUBECTL = '/usr/bin/kubectl';

test('writeKubeconfig embeds base64 credentials and is private', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'splitplane-kc-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'sub', 'kubeconfig');
  await writeKubeconfig(path, {
    server: 'https://127.0.0.1:6443',
    caPem: 'CA',
    certPem: 'CERT',
    keyPem: 'KEY',
    user: 'admin',
    context: 'splitplane',
  });
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  const doc = parse(await readFile(path, 'utf8'));
  assert.equal(doc['current-context'], 'splitplane');
  assert.equal(doc.clusters[0].cluster.server, 'https://127.0.0.1:6443');
  assert.equal(
    Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(),
    'CA',
  );
  assert.equal(
    Buffer.from(doc.users[0].user['client-certificate-data'], 'base64').toString(),
    'CERT',
  );
  assert.equal(Buffer.from(doc.users[0].user['client-key-data'], 'base64').toString(), 'KEY');
  assert.deepEqual(doc.contexts[0], {
    name: 'splitplane',
    context: { cluster: 'splitplane', user: 'admin' },
  });
});

// Proves Go's crypto/tls (through a real kubectl) accepts our ECDSA certificates and PKCS#8 keys.
test('kubectl talks to a TLS server with the dev PKI kubeconfig', async (t) => {
  try {
    await access(KUBECTL);
  } catch {
    t.skip(`${KUBECTL} not installed`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'splitplane-kc-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pki = await ensureDevPki(join(dir, 'pki'));
  const read = (p: string) => readFile(p, 'utf8');

  const seen: string[] = [];
  const server = createServer(
    {
      cert: await read(pki.apiserver.cert),
      key: await read(pki.apiserver.key),
      ca: await read(pki.ca.cert),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      seen.push(`${req.url} ${peer.subject.CN}/${String(peer.subject.O)}`);
      res.setHeader('content-type', 'application/json');
      // The installed kubectl is a dispatcher that reads /version to pick its binary.
      if (req.url === '/version') {
        res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0' }));
      } else {
        res.end('{"ok":true}');
      }
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;

  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, {
    server: `https://127.0.0.1:${port}`,
    caPem: await read(pki.ca.cert),
    certPem: await read(pki.admin.cert),
    keyPem: await read(pki.admin.key),
    user: 'kubernetes-admin',
    context: 'splitplane',
  });
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, 'get', '--raw', '/healthz'],
      { timeout: 30_000, env: { ...process.env, HOME: dir } },
      (err, out, errOut) =>
        err ? reject(new Error(`kubectl failed: ${errOut}`, { cause: err })) : resolve(out),
    );
  });
  assert.equal(stdout.trim(), '{"ok":true}');
  assert.ok(seen.includes('/healthz kubernetes-admin/system:masters'), seen.join('; '));
});
