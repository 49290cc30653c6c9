// ServiceAccount JWTs (--service-account-key-file, --service-account-issuer,
// --api-audiences): bound tokens (TokenRequest) and legacy secret-based ones. Signatures are
// checked with jose; then, as kube's validators do, the ServiceAccount and the object the
// token is bound to must still exist with the uid the token names.
import type { KeyObject } from 'node:crypto';
import { decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { ObjectGetter } from './object-getter.js';
import {
  type KubernetesClaim,
  LEGACY_CLAIMS,
  LEGACY_ISSUER,
  serviceAccountUser,
  serviceAccountUsername,
} from './service-account-claims.js';
import {
  AuthenticationError,
  type AuthResult,
  type TokenAuthenticator,
  intersectAudiences,
} from './types.js';

const ALGORITHMS = ['RS256', 'ES256', 'ES384', 'ES512'];
/** go-jose's DefaultLeeway, which kube's validator uses for exp/nbf/iat. */
const LEEWAY_SECONDS = 60;

export interface ServiceAccountAuthenticatorOptions {
  keys: readonly KeyObject[];
  issuers: readonly string[];
  /** --api-audiences: what a token without audiences (legacy) is taken to be for. */
  apiAudiences: readonly string[];
  objects: ObjectGetter;
  /** kube's --service-account-lookup (default true) for legacy tokens. */
  lookup?: boolean;
}

const invalidated = () => new AuthenticationError('Token has been invalidated');

export class ServiceAccountAuthenticator implements TokenAuthenticator {
  readonly name = 'serviceaccount';
  private readonly issuers: Set<string>;

  constructor(private readonly opts: ServiceAccountAuthenticatorOptions) {
    this.issuers = new Set([...opts.issuers, LEGACY_ISSUER]);
  }

  async authenticateToken(token: string, audiences: readonly string[]): Promise<AuthResult | null> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      return null; // not a JWT: someone else's token
    }
    if (typeof unverified.iss !== 'string' || !this.issuers.has(unverified.iss)) return null;
    const payload = await this.verifySignature(token);

    const tokenAudiences = audiencesOf(payload.aud);
    const legacy = tokenAudiences.length === 0;
    const have = legacy ? this.opts.apiAudiences : tokenAudiences;
    const want = audiences.length ? audiences : this.opts.apiAudiences;
    const matched = intersectAudiences(have, want);
    if (matched.length === 0 && this.opts.apiAudiences.length !== 0) {
      throw new AuthenticationError(
        `token audiences ${goQuoteList(have)} is invalid for the target audiences ${goQuoteList(want)}`,
      );
    }
    const user =
      payload.iss === LEGACY_ISSUER
        ? await this.validateLegacy(token, payload)
        : await this.validateBound(payload);
    return { user, audiences: matched };
  }

  private async verifySignature(token: string): Promise<JWTPayload> {
    const errors: string[] = [];
    for (const key of this.opts.keys) {
      try {
        // Time claims are checked by the validators below, with kube's messages.
        const { payload } = await jwtVerify(token, key, {
          algorithms: ALGORITHMS,
          currentDate: new Date(0),
          clockTolerance: Number.MAX_SAFE_INTEGER,
        });
        return payload;
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    if (errors.length === 0) throw new AuthenticationError('no service account keys configured');
    throw new AuthenticationError(errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`);
  }

  // kube's bound-token validator (pkg/serviceaccount), with its messages.
  private async validateBound(payload: JWTPayload): Promise<ReturnType<typeof serviceAccountUser>> {
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.exp === 'number' && now > payload.exp + LEEWAY_SECONDS) {
      throw new AuthenticationError('Token has expired.');
    }
    const early =
      (typeof payload.nbf === 'number' && now < payload.nbf - LEEWAY_SECONDS) ||
      (typeof payload.iat === 'number' && now < payload.iat - LEEWAY_SECONDS);
    const k = payload['kubernetes.io'] as KubernetesClaim | undefined;
    if (
      early ||
      !k ||
      typeof k !== 'object' ||
      !k.namespace ||
      !k.serviceaccount?.name ||
      payload.sub !== serviceAccountUsername(k.namespace, k.serviceaccount.name)
    ) {
      throw new AuthenticationError('Token could not be validated.');
    }
    const ns = k.namespace;
    const objects = this.opts.objects;
    // Objects deleted (gracefully) less than the leeway ago still count, as in kube.
    const deletedBefore = (obj: Record<string, any>) => {
      const ts = obj.metadata?.deletionTimestamp as string | undefined;
      return ts !== undefined && Date.parse(ts) < (now - LEEWAY_SECONDS) * 1000;
    };
    const sa = await objects.get({
      resource: 'serviceaccounts',
      namespace: ns,
      name: k.serviceaccount.name,
    });
    if (!sa) throw new AuthenticationError(`serviceaccounts "${k.serviceaccount.name}" not found`);
    if (deletedBefore(sa)) {
      throw new AuthenticationError(
        `ServiceAccount ${ns}/${k.serviceaccount.name} has been deleted`,
      );
    }
    if (sa.metadata?.uid !== k.serviceaccount.uid) {
      throw new AuthenticationError(
        `ServiceAccount UID (${String(sa.metadata?.uid ?? '')}) does not match claim (${k.serviceaccount.uid})`,
      );
    }
    if (k.secret) {
      const secret = await objects.get({ resource: 'secrets', namespace: ns, name: k.secret.name });
      if (!secret || deletedBefore(secret)) throw invalidated();
      if (secret.metadata?.uid !== k.secret.uid) {
        throw new AuthenticationError(
          `Secret UID (${String(secret.metadata?.uid ?? '')}) does not match claim (${k.secret.uid})`,
        );
      }
    }
    if (k.pod) {
      const pod = await objects.get({ resource: 'pods', namespace: ns, name: k.pod.name });
      if (!pod || deletedBefore(pod)) throw invalidated();
      if (pod.metadata?.uid !== k.pod.uid) {
        throw new AuthenticationError(
          `Pod UID (${String(pod.metadata?.uid ?? '')}) does not match claim (${k.pod.uid})`,
        );
      }
    }
    return serviceAccountUser({
      namespace: k.namespace,
      name: k.serviceaccount.name,
      uid: k.serviceaccount.uid,
      ...(k.pod ? { podName: k.pod.name, podUid: k.pod.uid } : {}),
      ...(typeof payload.jti === 'string' && payload.jti
        ? { credentialId: `JTI=${payload.jti}` }
        : {}),
    });
  }

  // kube's legacy (Secret-based) token validator, with its messages.
  private async validateLegacy(token: string, payload: JWTPayload) {
    const claim = (k: string) => (typeof payload[k] === 'string' ? (payload[k] as string) : '');
    const namespace = claim(LEGACY_CLAIMS.namespace);
    const secretName = claim(LEGACY_CLAIMS.secretName);
    const saName = claim(LEGACY_CLAIMS.serviceAccountName);
    const saUid = claim(LEGACY_CLAIMS.serviceAccountUid);
    if (!payload.sub) throw new AuthenticationError('sub claim is missing');
    if (!namespace) throw new AuthenticationError('namespace claim is missing');
    if (!secretName) throw new AuthenticationError('secretName claim is missing');
    if (!saName) throw new AuthenticationError('serviceAccountName claim is missing');
    if (!saUid) throw new AuthenticationError('serviceAccountUID claim is missing');
    if (payload.sub !== serviceAccountUsername(namespace, saName)) {
      throw new AuthenticationError('sub claim is invalid');
    }
    if (this.opts.lookup !== false) {
      const objects = this.opts.objects;
      const secret = await objects.get({ resource: 'secrets', namespace, name: secretName });
      if (!secret || secret.metadata?.deletionTimestamp) throw invalidated();
      const data = secret.data as Record<string, string> | undefined;
      if (!data?.token || Buffer.from(data.token, 'base64').toString('utf8') !== token) {
        throw new AuthenticationError("Token does not match server's copy");
      }
      const sa = await objects.get({ resource: 'serviceaccounts', namespace, name: saName });
      if (!sa) throw new AuthenticationError(`serviceaccounts "${saName}" not found`);
      if (sa.metadata?.deletionTimestamp) {
        throw new AuthenticationError(`ServiceAccount ${namespace}/${saName} has been deleted`);
      }
      if (sa.metadata?.uid !== saUid) {
        throw new AuthenticationError(
          `ServiceAccount UID (${String(sa.metadata?.uid ?? '')}) does not match claim (${saUid})`,
        );
      }
    }
    return serviceAccountUser({ namespace, name: saName, uid: saUid });
  }
}

function audiencesOf(aud: unknown): string[] {
  if (typeof aud === 'string') return aud ? [aud] : [];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/** Go's %q of a []string: ["a" "b"]. */
export function goQuoteList(list: readonly string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;
}
