// kube's request authentication: the request authenticators in order (front proxy, x509,
// bearer token); the first that recognises the request decides. If none does, an error from
// any of them (a presented but invalid credential) is a 401 even when anonymous requests are
// allowed (kube's FailOnError union); otherwise the request is anonymous, or a 401 when
// --anonymous-auth=false. Authenticated users get system:authenticated.
import type { IncomingMessage } from 'node:http';
import { aggregate } from './bearer.js';
import {
  AuthenticationError,
  type AuthResult,
  type RequestAuthenticator,
  intersectAudiences,
} from './types.js';
import { ANONYMOUS, withAuthenticatedGroup } from './user.js';

export interface RequestAuthenticationOptions {
  authenticators: readonly RequestAuthenticator[];
  anonymous: boolean;
  /** --api-audiences: a token result naming audiences must share one with these. */
  apiAudiences: readonly string[];
}

const ANONYMOUS_RESULT: AuthResult = Object.freeze({ user: ANONYMOUS });

export class RequestAuthentication {
  constructor(private readonly opts: RequestAuthenticationOptions) {}

  /**
   * The request's user, or an AuthenticationError (answered with kube's 401). Synchronous
   * when every authenticator consulted is (x509 on a known connection), so the common path
   * awaits nothing.
   */
  authenticate(req: IncomingMessage): AuthResult | Promise<AuthResult> {
    return this.from(req, 0, undefined);
  }

  private from(
    req: IncomingMessage,
    start: number,
    errors: Error[] | undefined,
  ): AuthResult | Promise<AuthResult> {
    const list = this.opts.authenticators;
    for (let i = start; i < list.length; i++) {
      let out: AuthResult | null | Promise<AuthResult | null>;
      try {
        out = list[i]!.authenticate(req);
      } catch (err) {
        (errors ??= []).push(err as Error);
        continue;
      }
      if (out instanceof Promise) {
        return out.then(
          (result) => (result ? this.accept(result) : this.from(req, i + 1, errors)),
          (err: unknown) => this.from(req, i + 1, [...(errors ?? []), err as Error]),
        );
      }
      if (out) return this.accept(out);
    }
    if (errors?.length) throw aggregate(errors);
    if (this.opts.anonymous) return ANONYMOUS_RESULT;
    throw new AuthenticationError('no credentials presented and anonymous requests are disabled');
  }

  private accept(result: AuthResult): AuthResult {
    const apiAuds = this.opts.apiAudiences;
    if (
      apiAuds.length > 0 &&
      result.audiences?.length &&
      intersectAudiences(apiAuds, result.audiences).length === 0
    ) {
      throw new AuthenticationError('unable to match audience');
    }
    const user = withAuthenticatedGroup(result.user);
    return user === result.user ? result : { ...result, user };
  }
}
