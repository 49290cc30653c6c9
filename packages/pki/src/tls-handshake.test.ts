import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createCA, issueClientCert, issueServerCert, type CertAndKey } from './index.js';

interface Reply {
  status: number;
  body: string;
}

function get(port: number, ca: string, client?: CertAndKey): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        ca,
        cert: client?.certPem,
        key: client?.keyPem,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('loopback TLS requiring a client certificate: admin cert accepted, none rejected', async (t) => {
  const ca = await createCA('tls-test-ca');
  const serving = await issueServerCert(ca, { commonName: 'server' });
  const admin = await issueClientCert(ca, {
    commonName: 'kubernetes-admin',
    organizations: ['system:masters'],
  });

  const server = createServer(
    {
      cert: serving.certPem,
      key: serving.keyPem,
      ca: ca.certPem,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.end(`${peer.subject.CN}|${String(peer.subject.O)}`);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;

  const ok = await get(port, ca.certPem, admin);
  assert.equal(ok.status, 200);
  assert.equal(ok.body, 'kubernetes-admin|system:masters');

  // With TLS 1.3 the server's refusal arrives as an alert after the client's handshake, so
  // it surfaces as a request error either way.
  await assert.rejects(get(port, ca.certPem));

  // A client certificate from a different CA is refused too.
  const stranger = await issueClientCert(await createCA('other-ca'), { commonName: 'mallory' });
  await assert.rejects(get(port, ca.certPem, stranger));

  // And the client refuses a server whose CA it was not given.
  const otherCa = await createCA('unrelated');
  await assert.rejects(
    get(port, otherCa.certPem, admin),
    /self-signed|unable to verify|unable to get/i,
  );
});
