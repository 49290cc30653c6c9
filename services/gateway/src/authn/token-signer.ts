// Signs bound ServiceAccount tokens (TokenRequest) with --service-account-signing-key-file,
// in kube's layout: iss, sub, aud, exp, iat, nbf, jti and the `kubernetes.io` claim.
import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { type KubernetesClaim, serviceAccountUsername } from './service-account-claims.js';
import { algorithmFor, keyIdFor } from './keys.js';

export interface BoundTokenRequest {
  audiences: readonly string[];
  expirationSeconds: number;
  claim: KubernetesClaim;
  /** Defaults to now. */
  now?: Date;
}

export interface SignedToken {
  token: string;
  expiration: Date;
}

export class TokenSigner {
  private readonly alg: string;
  private readonly kid: string;

  constructor(
    private readonly key: KeyObject,
    readonly issuer: string,
  ) {
    this.alg = algorithmFor(key);
    this.kid = keyIdFor(key);
  }

  async sign(req: BoundTokenRequest): Promise<SignedToken> {
    const nowSeconds = Math.floor((req.now ?? new Date()).getTime() / 1000);
    const exp = nowSeconds + req.expirationSeconds;
    const token = await new SignJWT({
      'kubernetes.io': req.claim as unknown as Record<string, unknown>,
    })
      .setProtectedHeader({ alg: this.alg, kid: this.kid })
      .setIssuer(this.issuer)
      .setSubject(serviceAccountUsername(req.claim.namespace, req.claim.serviceaccount.name))
      .setAudience([...req.audiences])
      .setIssuedAt(nowSeconds)
      .setNotBefore(nowSeconds)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.key);
    return { token, expiration: new Date(exp * 1000) };
  }
}
