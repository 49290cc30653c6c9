import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import { UnsupportedKeyError } from './errors.js';

// The project compiles without the DOM lib, so the WebCrypto types come from node:crypto.
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
type EcKeyGenParams = webcrypto.EcKeyGenParams;
type EcdsaParams = webcrypto.EcdsaParams;
type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;
type EcKeyImportParams = webcrypto.EcKeyImportParams;
type RsaHashedImportParams = webcrypto.RsaHashedImportParams;
type Algorithm = webcrypto.Algorithm;

// WebCrypto is what @peculiar/x509 signs with; node:crypto KeyObjects are only used to
// sniff the algorithm of a PEM we load back from disk, since PKCS#8 import in WebCrypto
// requires the caller to already know the algorithm.
const subtle = webcrypto.subtle;

/** ECDSA P-256: small, fast to generate, and accepted by Go's crypto/tls (kubectl, client-go). */
export const ecdsaP256: EcKeyGenParams & EcdsaParams = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
};

/** RSA-2048 with SHA-256, the conventional ServiceAccount token signing key (RS256). */
export const rsa2048: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

export type KeyAlgorithmParams = typeof ecdsaP256 | typeof rsa2048;

export async function generateKeyPair(alg: KeyAlgorithmParams = ecdsaP256): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function toPem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** PKCS#8 "PRIVATE KEY" PEM: Go's tls.X509KeyPair and Node both read it for EC and RSA alike. */
export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  return toPem('PRIVATE KEY', await subtle.exportKey('pkcs8', key));
}

/** SPKI "PUBLIC KEY" PEM, the form kube-apiserver's --service-account-key-file accepts. */
export async function publicKeyToPem(key: CryptoKey): Promise<string> {
  return toPem('PUBLIC KEY', await subtle.exportKey('spki', key));
}

/**
 * Loads a PEM private key (PKCS#8, SEC1 or PKCS#1) back into a WebCrypto key pair able to
 * sign certificates. The algorithm is detected from the key itself.
 */
export async function importKeyPairPem(pem: string): Promise<CryptoKeyPair> {
  let keyObject;
  try {
    keyObject = createPrivateKey(pem);
  } catch (err) {
    throw new UnsupportedKeyError('cannot parse PEM private key', { cause: err });
  }
  let alg: EcKeyImportParams | RsaHashedImportParams;
  if (keyObject.asymmetricKeyType === 'ec') {
    const curve = keyObject.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'prime256v1' && curve !== 'P-256') {
      throw new UnsupportedKeyError(
        `unsupported EC curve ${String(curve)}; only P-256 is used here`,
      );
    }
    alg = { name: 'ECDSA', namedCurve: 'P-256' };
  } else if (keyObject.asymmetricKeyType === 'rsa') {
    alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  } else {
    throw new UnsupportedKeyError(`unsupported key type ${String(keyObject.asymmetricKeyType)}`);
  }
  const pkcs8 = keyObject.export({ format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(keyObject).export({ format: 'der', type: 'spki' });
  const privateKey = await subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']);
  const publicKey = await subtle.importKey('spki', spki, alg, true, ['verify']);
  return { privateKey, publicKey };
}

/** Signature algorithm parameters matching a key, as @peculiar/x509 expects them. */
export function signingAlgorithmFor(key: CryptoKey): Algorithm | EcdsaParams {
  return key.algorithm.name === 'ECDSA'
    ? { name: 'ECDSA', hash: 'SHA-256' }
    : { name: key.algorithm.name };
}
