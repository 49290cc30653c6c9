// The claims layout of ServiceAccount tokens, as kube's serviceaccount package writes and
// reads them: bound tokens carry a `kubernetes.io` private claim; legacy secret-based tokens
// carry flat `kubernetes.io/serviceaccount/...` claims and the issuer below.
import type { UserInfo } from '@splitplane/proto';
import { ALL_SERVICE_ACCOUNTS_GROUP, SERVICE_ACCOUNT_PREFIX, makeUser } from './user.js';

export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

export const LEGACY_CLAIMS = {
  namespace: 'kubernetes.io/serviceaccount/namespace',
  secretName: 'kubernetes.io/serviceaccount/secret.name',
  serviceAccountName: 'kubernetes.io/serviceaccount/service-account.name',
  serviceAccountUid: 'kubernetes.io/serviceaccount/service-account.uid',
} as const;

export const EXTRA_POD_NAME = 'authentication.kubernetes.io/pod-name';
export const EXTRA_POD_UID = 'authentication.kubernetes.io/pod-uid';
export const EXTRA_CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

export interface NameUid {
  name: string;
  uid: string;
}

export interface KubernetesClaim {
  namespace: string;
  serviceaccount: NameUid;
  pod?: NameUid;
  secret?: NameUid;
  warnafter?: number;
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/** `system:serviceaccount:<ns>:<name>` split, or undefined when it is not one. */
export function splitServiceAccountUsername(
  username: string,
): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

export interface ServiceAccountIdentity {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUid?: string;
  credentialId?: string;
}

/** kube's ServiceAccountInfo.UserInfo(). */
export function serviceAccountUser(sa: ServiceAccountIdentity): UserInfo {
  const extra: Record<string, string[]> = {};
  if (sa.podName && sa.podUid) {
    extra[EXTRA_POD_NAME] = [sa.podName];
    extra[EXTRA_POD_UID] = [sa.podUid];
  }
  if (sa.credentialId) extra[EXTRA_CREDENTIAL_ID] = [sa.credentialId];
  return makeUser(
    serviceAccountUsername(sa.namespace, sa.name),
    sa.uid,
    [ALL_SERVICE_ACCOUNTS_GROUP, `${ALL_SERVICE_ACCOUNTS_GROUP}:${sa.namespace}`],
    extra,
  );
}
