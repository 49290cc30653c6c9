import { webcrypto } from 'node:crypto';
import * as x509 from './x509.js';
import type { CertAndKey } from './cert-and-key.js';
import {
  generateKeyPair,
  importKeyPairPem,
  privateKeyToPem,
  signingAlgorithmFor,
  type CryptoKeyPair,
} from './keys.js';
import { randomSerialNumber } from './serial-number.js';
import { CA_VALIDITY_DAYS, validityWindow } from './validity.js';
import { InvalidPkiFileError } from './errors.js';

/** Creates a self-signed ECDSA P-256 root CA able to sign leaf certificates. */
export async function createCA(commonName: string): Promise<CertAndKey> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialNumber(),
      name: [{ CN: [commonName] }],
      keys,
      signingAlgorithm: signingAlgorithmFor(keys.privateKey),
      ...validityWindow(CA_VALIDITY_DAYS),
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign |
            x509.KeyUsageFlags.cRLSign |
            x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyToPem(keys.privateKey) };
}

/** A CA parsed into the objects the signer needs. */
export interface LoadedCA {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

export async function loadCA(ca: CertAndKey): Promise<LoadedCA> {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(ca.certPem);
  } catch (err) {
    throw new InvalidPkiFileError('<ca certificate>', 'cannot parse CA certificate PEM', {
      cause: err,
    });
  }
  return { cert, keys: await importKeyPairPem(ca.keyPem) };
}
