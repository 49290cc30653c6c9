// The authenticator interfaces, shaped after k8s.io/apiserver/pkg/authentication/authenticator:
// `null` means "no credential of mine here" (the next authenticator tries), a thrown
// AuthenticationError means "a credential was presented and it is invalid".
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '@splitplane/proto';

export interface AuthResult {
  user: UserInfo;
  /** The audiences the credential is valid for (token authenticators), if they say. */
  audiences?: string[];
}

export interface RequestAuthenticator {
  readonly name: string;
  authenticate(req: IncomingMessage): Promise<AuthResult | null> | AuthResult | null;
}

export interface TokenAuthenticator {
  readonly name: string;
  /**
   * `audiences` are the ones the caller wants the token valid for (the API audiences for a
   * request, spec.audiences for a TokenReview).
   */
  authenticateToken(token: string, audiences: readonly string[]): Promise<AuthResult | null>;
}

/** A presented credential that does not authenticate; the message is for logs and TokenReview. */
export class AuthenticationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthenticationError';
  }
}

/** Intersection of two audience lists, in the first's order. */
export function intersectAudiences(a: readonly string[], b: readonly string[]): string[] {
  const set = new Set(b);
  return a.filter((x) => set.has(x));
}
