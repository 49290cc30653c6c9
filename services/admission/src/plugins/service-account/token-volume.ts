// The projected volume kube mounts for a pod's service account token (kube-api-access-xxxxx).
import { randomInt } from 'node:crypto';

export const SERVICE_ACCOUNT_VOLUME_NAME = 'kube-api-access';
export const DEFAULT_API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: an hour plus the 7 s kube marks it with. */
export const TOKEN_EXPIRATION_SECONDS = 3607;

// names.SimpleNameGenerator's alphabet: no vowels, no look-alike digits.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `prefix` plus five random characters, as kube's SimpleNameGenerator. */
export function generateName(prefix: string): string {
  let out = prefix;
  for (let i = 0; i < 5; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** The volume, field for field as kube writes it (defaultMode set explicitly, kube #104464). */
export function tokenVolume(name: string) {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        {
          configMap: {
            name: 'kube-root-ca.crt',
            items: [{ key: 'ca.crt', path: 'ca.crt' }],
          },
        },
        {
          downwardAPI: {
            items: [
              {
                path: 'namespace',
                fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
              },
            ],
          },
        },
      ],
      defaultMode: 420,
    },
  };
}
