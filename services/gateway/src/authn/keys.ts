// ServiceAccount key material: --service-account-key-file (public keys, or private keys whose
// public half is used; a file may hold several PEM blocks) and the signing key.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export class KeyFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyFileError';
  }
}

export async function loadPublicKeys(files: readonly string[]): Promise<KeyObject[]> {
  const keys: KeyObject[] = [];
  for (const file of files) {
    const text = await readKeyFile(file);
    const blocks = text.match(/-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g) ?? [];
    for (const block of blocks) {
      if (/BEGIN CERTIFICATE/.test(block)) continue;
      try {
        keys.push(createPublicKey(block));
      } catch (err) {
        throw new KeyFileError(`${file}: not a public or private key: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    if (blocks.length === 0) throw new KeyFileError(`${file}: no PEM-encoded keys found`);
  }
  return keys;
}

export async function loadSigningKey(file: string): Promise<KeyObject> {
  const text = await readKeyFile(file);
  try {
    return createPrivateKey(text);
  } catch (err) {
    throw new KeyFileError(`${file}: not a private key: ${(err as Error).message}`, { cause: err });
  }
}

/** The JWS algorithm kube uses for a key: RS256 for RSA, ES256/384/512 by curve. */
export function algorithmFor(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1' || curve === 'P-256') return 'ES256';
    if (curve === 'secp384r1' || curve === 'P-384') return 'ES384';
    if (curve === 'secp521r1' || curve === 'P-521') return 'ES512';
  }
  throw new KeyFileError(`unsupported service account key type ${key.asymmetricKeyType}`);
}

/** kube's key id: unpadded base64url of the SHA-256 of the public key's PKIX DER. */
export function keyIdFor(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const der = pub.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new KeyFileError(`reading ${file}: ${(err as Error).message}`, { cause: err });
  }
}
