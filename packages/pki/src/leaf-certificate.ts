import { isIP } from 'node:net';
import { webcrypto } from 'node:crypto';
import * as x509 from './x509.js';
import type { CertAndKey } from './cert-and-key.js';
import { loadCA } from './certificate-authority.js';
import { PkiError } from './errors.js';
import { generateKeyPair, privateKeyToPem, signingAlgorithmFor } from './keys.js';
import { randomSerialNumber } from './serial-number.js';
import { LEAF_VALIDITY_DAYS, validityWindow } from './validity.js';

export type ExtendedKeyUsageName = 'serverAuth' | 'clientAuth';

/** Everything that varies between the leaf certificates we issue. */
export interface LeafCertificateSpec {
  commonName: string;
  organizations?: readonly string[];
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  usages: readonly ExtendedKeyUsageName[];
  validityDays?: number;
}

/** Issues an ECDSA P-256 end-entity certificate signed by `ca`. */
export async function issueLeafCertificate(
  ca: CertAndKey,
  spec: LeafCertificateSpec,
): Promise<CertAndKey> {
  const issuer = await loadCA(ca);
  const keys = await generateKeyPair();

  // O before CN, the order kubeadm uses; Go collects every O attribute into Organization,
  // which kube-apiserver turns into the user's groups.
  const subject: x509.JsonName = [
    ...(spec.organizations ?? []).map((o) => ({ O: [o] })),
    { CN: [spec.commonName] },
  ];

  const eku = spec.usages.map((u) => x509.ExtendedKeyUsage[u]);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(eku, false),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
    await authorityKeyIdentifier(issuer.cert),
  ];

  const altNames: x509.JsonGeneralName[] = [
    ...(spec.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(spec.ipAddresses ?? []).map((value) => {
      if (isIP(value) === 0) throw new PkiError(`not an IP address: ${value}`);
      return { type: 'ip' as const, value };
    }),
  ];
  if (altNames.length > 0)
    extensions.push(new x509.SubjectAlternativeNameExtension(altNames, false));

  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialNumber(),
      subject,
      issuer: issuer.cert.subjectName,
      publicKey: keys.publicKey,
      signingKey: issuer.keys.privateKey,
      signingAlgorithm: signingAlgorithmFor(issuer.keys.privateKey),
      ...validityWindow(spec.validityDays ?? LEAF_VALIDITY_DAYS),
      extensions,
    },
    webcrypto,
  );
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyToPem(keys.privateKey) };
}

/** Points the leaf at the CA's own key id, so chain builders match issuer and subject quickly. */
async function authorityKeyIdentifier(
  caCert: x509.X509Certificate,
): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return new x509.AuthorityKeyIdentifierExtension(ski.keyId, false);
  return x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, webcrypto);
}
