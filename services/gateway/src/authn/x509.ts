// x509 client certificates (--client-ca-file): CN is the user name, O attributes the groups.
// A certificate that does not chain to the client CA is an invalid credential; no
// certificate at all is "not mine". The user is built once per connection.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from '@splitplane/proto';
import { ClientCertVerifier, subjectAttributes } from './client-cert.js';
import { type AuthResult, type RequestAuthenticator } from './types.js';
import { AUTHENTICATED_GROUP, freezeUser, makeUser } from './user.js';

export class X509Authenticator implements RequestAuthenticator {
  readonly name = 'x509';
  private readonly users = new WeakMap<TLSSocket, AuthResult>();

  constructor(private readonly verifier: ClientCertVerifier) {}

  authenticate(req: IncomingMessage): AuthResult | null {
    const socket = req.socket as TLSSocket;
    const cached = this.users.get(socket);
    if (cached) return cached;
    const checked = this.verifier.check(socket);
    if (!checked) return null;
    if (!checked.ok) throw checked.error;
    const user = userFromSubject(subjectAttributes(checked.leaf));
    if (!user) return null;
    const result: AuthResult = Object.freeze({ user: freezeUser(user) });
    this.users.set(socket, result);
    return result;
  }
}

export function userFromSubject(subject: Map<string, string[]>): UserInfo | undefined {
  const cn = subject.get('CN')?.[0];
  if (!cn) return undefined;
  // system:authenticated is added here so the per-connection user needs no copy later.
  return makeUser(cn, '', [...(subject.get('O') ?? []), AUTHENTICATED_GROUP]);
}
