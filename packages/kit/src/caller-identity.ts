// Only the gateway authenticates end users, so only the gateway may assert one. Any other
// internal caller (authz writing its bootstrap policy, the registry calling admission...) acts
// as the plane itself: kube-apiserver's loopback identity, system:apiserver in
// system:masters. A stolen non-gateway certificate can then not pose as some user, and a
// request relayed by the gateway keeps the user the gateway authenticated.
import { newUnauthorized, type StatusError } from '@splitplane/apimachinery';
import type { UserInfo } from '@splitplane/proto';

/** The CN of the one service that authenticates end users. */
export const GATEWAY_IDENTITY = 'gateway';

/**
 * Services whose asserted users are believed: the gateway, and the registry relaying the
 * user of a write it serves (its own server already applied this rule to that user). kube's
 * registry runs in-process with the requester in its context; ours must carry that user to
 * authz's escalation check (ConfirmNoEscalation), or every RBAC write would be checked as
 * system:apiserver and escalation prevention would allow everything. Admission likewise
 * relays the registry's user to authz for the CEL `authorizer` checks of admission policies.
 */
export const USER_ASSERTING_IDENTITIES: ReadonlySet<string> = new Set([
  GATEWAY_IDENTITY,
  'registry',
  'admission',
]);

/** kube-apiserver's loopback client identity. */
export const INTERNAL_USER_NAME = 'system:apiserver';
export const INTERNAL_USER_GROUPS: readonly string[] = ['system:masters', 'system:authenticated'];

export function internalUser(): UserInfo {
  return { username: INTERNAL_USER_NAME, uid: '', groups: [...INTERNAL_USER_GROUPS], extra: {} };
}

/** The part of a grpc-js server call this needs (unary and streaming calls both have it). */
export interface CallWithAuthContext {
  getAuthContext(): {
    transportSecurityType?: string;
    sslPeerCertificate?: { subject?: Record<string, string | string[] | undefined> };
  } | null;
}

export class CallerIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallerIdentityError';
  }

  toStatusError(): StatusError {
    return newUnauthorized(this.message);
  }
}

/**
 * The calling service's name: the CN of its client certificate. Undefined on a plaintext
 * connection (local tests), where there is no caller identity to check.
 */
export function callerService(call: CallWithAuthContext): string | undefined {
  const session = sessionOf(call);
  if (session && callerBySession.has(session)) return callerBySession.get(session);
  const caller = callerFromCertificate(call);
  if (session) callerBySession.set(session, caller);
  return caller;
}

/**
 * The caller of each HTTP/2 session (one TLS connection). grpc-js's getAuthContext builds the
 * whole peer certificate, fingerprints included, on every call (about a tenth of admission's
 * CPU under writes); a session's peer cannot change, since Node's HTTP/2 turns TLS
 * renegotiation off on every session's socket. Failures are not remembered.
 */
const callerBySession = new WeakMap<object, string | undefined>();

/** The call's HTTP/2 session, reached through grpc-js's call objects when they have one. */
function sessionOf(call: CallWithAuthContext): object | undefined {
  const inner = (call as { call?: { stream?: { session?: unknown } } }).call;
  const session = inner?.stream?.session;
  return typeof session === 'object' && session !== null ? session : undefined;
}

function callerFromCertificate(call: CallWithAuthContext): string | undefined {
  const auth = call.getAuthContext();
  if (auth?.transportSecurityType !== 'ssl') return undefined;
  const cn = auth.sslPeerCertificate?.subject?.CN;
  // A TLS server built by kit always demands a certificate; a missing or multi-CN one is
  // never believed.
  if (typeof cn !== 'string' || cn === '')
    throw new CallerIdentityError('the caller presented no usable client certificate');
  return cn;
}

/**
 * The user a request runs as: the asserted one when the gateway sent it (or on plaintext
 * connections, as before mutual TLS), else the internal identity.
 */
export function effectiveUser(
  call: CallWithAuthContext,
  asserted: UserInfo | undefined,
): UserInfo | undefined {
  const caller = callerService(call);
  if (caller === undefined || USER_ASSERTING_IDENTITIES.has(caller)) return asserted;
  return internalUser();
}

/**
 * Applies effectiveUser in place to the two shapes our requests carry a user in:
 * `request.user` (authz, admission) and `request.attributes.user` (registry, watch-cache).
 */
export function enforceCallerIdentity(request: unknown, call: CallWithAuthContext): void {
  if (typeof request !== 'object' || request === null) return;
  const r = request as { user?: UserInfo; attributes?: { user?: UserInfo } };
  const hasUser = 'user' in r;
  const hasAttributes = typeof r.attributes === 'object' && r.attributes !== null;
  if (!hasUser && !hasAttributes) return;
  const caller = callerService(call);
  if (caller === undefined || USER_ASSERTING_IDENTITIES.has(caller)) return;
  if (hasUser) r.user = internalUser();
  if (hasAttributes) r.attributes!.user = internalUser();
}
