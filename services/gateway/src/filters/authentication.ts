// x509 client-certificate authentication. The TLS layer verifies the chain against
// --client-ca-file (`requestCert: true, rejectUnauthorized: false`, so a missing or bad
// certificate reaches us and gets kube's 401 Status instead of a failed handshake). The
// subject's CN is the user name and its O attributes the groups, plus system:authenticated.
//
// Bearer tokens (ServiceAccount, OIDC), front-proxy headers and anonymous auth come with the
// identity work (issue #4). Until then the public-info paths that kube's default anonymous
// auth + system:public-info-viewer open to everyone (/healthz, /livez, /readyz, /version)
// are served to unauthenticated clients as system:anonymous, so load balancers and the
// launcher can probe them; everything else needs a client certificate.
import type { TLSSocket } from 'node:tls';
import type { RequestHandler } from 'express';
import { newUnauthorized } from '@splitplane/apimachinery';
import type { UserInfo } from '@splitplane/proto';
import { contextOf } from '../request-context.js';

export const AUTHENTICATED_GROUP = 'system:authenticated';
export const ANONYMOUS_USER = 'system:anonymous';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';

const PUBLIC_PATHS = [/^\/(healthz|livez|readyz)(\/.*)?$/, /^\/version\/?$/];

/** GETs that kube's bootstrap policy (system:public-info-viewer) grants to every user. */
export function isPublicInfoPath(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && PUBLIC_PATHS.some((re) => re.test(path));
}

export function authenticationFilter(): RequestHandler {
  return (req, _res, next) => {
    const ctx = contextOf(req);
    const user = connectionUser(req.socket as TLSSocket);
    if (user) {
      ctx.user = user;
      return next();
    }
    if (isPublicInfoPath(req.method, req.path)) {
      ctx.user = ANONYMOUS;
      return next();
    }
    next(newUnauthorized());
  };
}

const ANONYMOUS: UserInfo = freezeUser({
  username: ANONYMOUS_USER,
  uid: '',
  groups: [UNAUTHENTICATED_GROUP],
  extra: {},
});

/** Per TLS connection: the user its certificate names, or null when it names none. */
const connectionUsers = new WeakMap<TLSSocket, UserInfo | null>();

/**
 * The client certificate cannot change for the life of a TLS connection (TLS 1.3 has no
 * renegotiation and the server disables it for 1.2, see gateway.ts), so the identity is
 * read once per socket. The object is frozen because every request on the socket shares it.
 */
export function connectionUser(socket: TLSSocket): UserInfo | undefined {
  let user = connectionUsers.get(socket);
  if (user === undefined) {
    const fromCert = userFromCertificate(socket);
    user = fromCert ? freezeUser(fromCert) : null;
    connectionUsers.set(socket, user);
  }
  return user ?? undefined;
}

export function userFromCertificate(socket: TLSSocket): UserInfo | undefined {
  if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return undefined;
  const cn = first(cert.subject.CN);
  if (!cn) return undefined;
  const groups = list(cert.subject.O);
  return { username: cn, uid: '', groups: [...groups, AUTHENTICATED_GROUP], extra: {} };
}

function freezeUser(user: UserInfo): UserInfo {
  Object.freeze(user.groups);
  Object.freeze(user.extra);
  return Object.freeze(user);
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? [...v] : [v];
}
