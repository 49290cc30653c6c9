import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createCA, issueClientCert, issueServerCert } from './index.js';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

test('createCA makes a self-signed CA with an EC P-256 key', async () => {
  const ca = await createCA('test-ca');
  const cert = new X509Certificate(ca.certPem);
  assert.equal(cert.ca, true);
  assert.equal(cert.subject, 'CN=test-ca');
  assert.equal(cert.issuer, 'CN=test-ca');
  assert.ok(cert.verify(cert.publicKey), 'self-signature verifies');
  assert.ok(cert.checkPrivateKey(createPrivateKey(ca.keyPem)));
  assert.equal(cert.publicKey.asymmetricKeyType, 'ec');
  assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  // Go rejects negative serial numbers: the top bit of the first byte must be clear.
  assert.ok(parseInt(cert.serialNumber.slice(0, 2), 16) < 0x80);
  assert.ok(new Date(cert.validFrom).getTime() < Date.now());
});

test('issueServerCert: chains to the CA, serverAuth only, loopback SANs added', async () => {
  const ca = await createCA('test-ca');
  const leaf = await issueServerCert(ca, {
    commonName: 'my-server',
    dnsNames: ['api.example.test'],
    ipAddresses: ['10.96.0.1'],
  });
  const caCert = new X509Certificate(ca.certPem);
  const cert = new X509Certificate(leaf.certPem);
  assert.equal(cert.ca, false);
  assert.equal(cert.subject, 'CN=my-server');
  assert.ok(cert.checkIssued(caCert));
  assert.ok(cert.verify(caCert.publicKey));
  assert.ok(cert.checkPrivateKey(createPrivateKey(leaf.keyPem)));
  assert.deepEqual(cert.keyUsage, [SERVER_AUTH]); // node reports the extended key usage here
  for (const host of ['localhost', 'api.example.test']) assert.equal(cert.checkHost(host), host);
  for (const ip of ['127.0.0.1', '::1', '10.96.0.1']) assert.ok(cert.checkIP(ip), ip);
  assert.equal(cert.checkHost('other.example.test'), undefined);
});

test('issueServerCert with clientAuth carries both usages (for mutual TLS)', async () => {
  const ca = await createCA('test-ca');
  const cert = new X509Certificate(
    (await issueServerCert(ca, { commonName: 'svc', clientAuth: true })).certPem,
  );
  assert.deepEqual([...(cert.keyUsage ?? [])].sort(), [SERVER_AUTH, CLIENT_AUTH].sort());
});

test('issueServerCert rejects a malformed IP SAN', async () => {
  const ca = await createCA('test-ca');
  await assert.rejects(
    issueServerCert(ca, { commonName: 'x', ipAddresses: ['not-an-ip'] }),
    /not an IP address/,
  );
});

test('issueClientCert: CN is the user, each O a group, clientAuth only', async () => {
  const ca = await createCA('test-ca');
  const leaf = await issueClientCert(ca, {
    commonName: 'alice',
    organizations: ['dev', 'system:authenticated'],
  });
  const cert = new X509Certificate(leaf.certPem);
  const caCert = new X509Certificate(ca.certPem);
  assert.ok(cert.verify(caCert.publicKey));
  assert.equal(cert.subject, 'O=dev\nO=system:authenticated\nCN=alice');
  assert.deepEqual(cert.keyUsage, [CLIENT_AUTH]);
  assert.equal(cert.subjectAltName, undefined);
});

test('a certificate from another CA does not verify', async () => {
  const [ca1, ca2] = await Promise.all([createCA('one'), createCA('two')]);
  const leaf = new X509Certificate((await issueClientCert(ca1, { commonName: 'bob' })).certPem);
  const other = new X509Certificate(ca2.certPem);
  assert.equal(leaf.verify(other.publicKey), false);
});
