// The ServiceAccount token key pair in the data dir: the gateway signs TokenRequest tokens
// with the private key and verifies ServiceAccount tokens with the public one. Created once
// and reused, so tokens stay valid across restarts of the plane.
import { generateKeyPair } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The issuer kube clusters use by default (kubeadm), and the API audience. */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface ServiceAccountKeyPaths {
  key: string;
  pub: string;
}

export function serviceAccountKeyPaths(dataDir: string): ServiceAccountKeyPaths {
  return { key: join(dataDir, 'pki', 'sa.key'), pub: join(dataDir, 'pki', 'sa.pub') };
}

export async function ensureServiceAccountKeys(dataDir: string): Promise<ServiceAccountKeyPaths> {
  const paths = serviceAccountKeyPaths(dataDir);
  const exists = await Promise.all(
    [paths.key, paths.pub].map((p) =>
      access(p).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (exists.every(Boolean)) return paths;
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  await mkdir(join(dataDir, 'pki'), { recursive: true });
  await writeFile(paths.key, privateKey, { mode: 0o600 });
  await writeFile(paths.pub, publicKey, { mode: 0o644 });
  return paths;
}
