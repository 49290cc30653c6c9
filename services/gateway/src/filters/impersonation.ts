// kube's impersonation filter: Impersonate-User, Impersonate-Group (repeatable),
// Impersonate-Uid and Impersonate-Extra-<key> switch the request's user after each one is
// authorized as `impersonate` on its own resource for the authenticated user:
// - users and groups: core group (""), name = the user or group;
// - system:serviceaccount:<ns>:<name> users: serviceaccounts in <ns> (core);
// - uids: authentication.k8s.io; userextras/<key>: authentication.k8s.io, name = the value.
// Runs after authentication and before authorization. The headers are removed afterwards;
// the authenticated user stays reachable (originalUserOf) for audit.
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  type AuthorizeRequest,
  type AuthorizeResponse,
  type AuthorizerClient,
  Decision,
  type UserInfo,
} from '@splitplane/proto';
import { unaryCall } from '../backends/unary.js';
import { type RequestContext, contextOf } from '../request-context.js';
import {
  type AuthorizationCache,
  type CachedDecision,
  authorizationCacheKey,
} from './authorization-cache.js';
import { forbidden } from './authorization.js';
import type { RequestInfo } from './request-info-parser.js';

export const IMPERSONATE_USER_HEADER = 'impersonate-user';
export const IMPERSONATE_GROUP_HEADER = 'impersonate-group';
export const IMPERSONATE_UID_HEADER = 'impersonate-uid';
export const IMPERSONATE_EXTRA_PREFIX = 'impersonate-extra-';

const SA_PREFIX = 'system:serviceaccount:';
const AUTHENTICATED = 'system:authenticated';
const UNAUTHENTICATED = 'system:unauthenticated';
const ANONYMOUS = 'system:anonymous';

/** One thing asked to be impersonated, as kube's ObjectReference-based request. */
export interface ImpersonationRequest {
  kind: 'User' | 'ServiceAccount' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  apiVersion: string;
  /** The extra key of a UserExtra (kube carries it in FieldPath). */
  fieldPath: string;
}

/** Thrown for header combinations kube rejects (its filter answers them as a plain-text 500). */
export class ImpersonationHeaderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ImpersonationHeaderError';
  }
}

const originalUsers = new WeakMap<Request, UserInfo>();

/** The authenticated user of a request that impersonates someone (for audit); else undefined. */
export function originalUserOf(req: Request): UserInfo | undefined {
  return originalUsers.get(req);
}

/** The requests the headers make, in kube's order: user, groups, extras, uid. */
export function buildImpersonationRequests(req: IncomingMessage): ImpersonationRequest[] {
  const headers = req.headersDistinct;
  const out: ImpersonationRequest[] = [];
  const user = headers[IMPERSONATE_USER_HEADER]?.[0] ?? '';
  if (user) {
    const sa = splitServiceAccountUsername(user);
    out.push(
      sa
        ? {
            kind: 'ServiceAccount',
            namespace: sa.namespace,
            name: sa.name,
            apiVersion: '',
            fieldPath: '',
          }
        : { kind: 'User', namespace: '', name: user, apiVersion: '', fieldPath: '' },
    );
  }
  const groups = headers[IMPERSONATE_GROUP_HEADER] ?? [];
  for (const group of groups) {
    out.push({ kind: 'Group', namespace: '', name: group, apiVersion: '', fieldPath: '' });
  }
  let hasExtra = false;
  for (const [header, values] of Object.entries(headers)) {
    if (!header.startsWith(IMPERSONATE_EXTRA_PREFIX) || !values) continue;
    hasExtra = true;
    const key = unescapeExtraKey(header.slice(IMPERSONATE_EXTRA_PREFIX.length));
    for (const value of values) {
      out.push({
        kind: 'UserExtra',
        namespace: '',
        name: value,
        apiVersion: 'authentication.k8s.io/v1',
        fieldPath: key,
      });
    }
  }
  const uid = headers[IMPERSONATE_UID_HEADER]?.[0] ?? '';
  if (uid) {
    out.push({
      kind: 'UID',
      namespace: '',
      name: uid,
      apiVersion: 'authentication.k8s.io/v1',
      fieldPath: '',
    });
  }
  if ((groups.length > 0 || hasExtra || uid) && !user) {
    throw new ImpersonationHeaderError(
      `requested ${formatRequests(out)} without impersonating a user`,
    );
  }
  return out;
}

/**
 * `cache` (the authorization filter's) remembers `impersonate` decisions too: kubectl --as
 * sends every request, discovery included, with the same headers.
 */
export function impersonationFilter(
  client: AuthorizerClient,
  cache?: AuthorizationCache,
): RequestHandler {
  const cached = cache?.enabled ? cache : undefined;
  // Synchronous for the requests that impersonate nobody (nearly all): no promise per request.
  return (req, res, next) => (hasImpersonationHeader(req) ? impersonate(req, res, next) : next());

  async function impersonate(req: Request, res: Response, next: NextFunction): Promise<void> {
    const ctx = contextOf(req);
    let requests: ImpersonationRequest[];
    try {
      requests = buildImpersonationRequests(req);
    } catch (err) {
      return internalError(req, res, (err as Error).message);
    }
    const requestor = ctx.user;
    if (!requestor) return internalError(req, res, 'no user found for request');
    const groupsSpecified = (req.headersDistinct[IMPERSONATE_GROUP_HEADER]?.length ?? 0) > 0;
    let username = '';
    let uid = '';
    let groups: string[] = [];
    const extra: Record<string, { values: string[] }> = {};
    for (const r of requests) {
      const attrs = actingAsAttributes(r);
      switch (r.kind) {
        case 'ServiceAccount':
          username = `${SA_PREFIX}${r.namespace}:${r.name}`;
          if (!groupsSpecified) {
            groups = ['system:serviceaccounts', `system:serviceaccounts:${r.namespace}`];
          }
          break;
        case 'User':
          username = r.name;
          break;
        case 'Group':
          groups.push(r.name);
          break;
        case 'UserExtra':
          (extra[r.fieldPath] ??= { values: [] }).values.push(r.name);
          break;
        case 'UID':
          uid = r.name;
          break;
      }
      const decision = await decide(client, cached, { ...attrs, user: requestor }, ctx);
      if (!decision.allowed) {
        return next(forbidden(infoOf(attrs), requestor.username, decision.reason));
      }
    }
    if (username !== ANONYMOUS) {
      if (!groups.some((g) => g === AUTHENTICATED || g === UNAUTHENTICATED))
        groups.push(AUTHENTICATED);
    } else if (!groups.includes(UNAUTHENTICATED)) {
      groups.push(UNAUTHENTICATED);
    }
    originalUsers.set(req, requestor);
    // Frozen like authentication's users: the authorization cache keys on frozen users once.
    ctx.user = Object.freeze({
      username,
      uid,
      groups: Object.freeze(groups) as string[],
      extra: Object.freeze(extra),
    });
    for (const header of Object.keys(req.headers)) {
      if (isImpersonationHeader(header)) delete req.headers[header];
    }
    next();
  }
}

/** One `impersonate` check: from the cache, or authz (errors deny, as in kube, uncached). */
async function decide(
  client: AuthorizerClient,
  cache: AuthorizationCache | undefined,
  request: AuthorizeRequest,
  ctx: RequestContext,
): Promise<CachedDecision> {
  const key = cache ? authorizationCacheKey(request) : undefined;
  const hit = key !== undefined ? cache!.get(key) : undefined;
  if (hit) return hit;
  const generation = cache?.generation ?? 0;
  let answer: AuthorizeResponse;
  try {
    answer = await unaryCall<AuthorizeRequest, AuthorizeResponse>(
      client,
      client.authorize,
      request,
      { deadline: ctx.deadline, abortable: ctx, auditId: ctx.auditId },
      'authz',
    );
  } catch {
    return { allowed: false, reason: '' };
  }
  const decision = { allowed: answer.decision === Decision.DECISION_ALLOW, reason: answer.reason };
  if (key !== undefined && !answer.evaluationError) cache!.set(key, decision, generation);
  return decision;
}

/** The `impersonate` attributes kube authorizes for one request (user filled in by the caller). */
export function actingAsAttributes(r: ImpersonationRequest): Omit<AuthorizeRequest, 'user'> {
  const base = {
    verb: 'impersonate',
    resourceRequest: true,
    path: '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: r.namespace,
    name: r.name,
  };
  switch (r.kind) {
    case 'ServiceAccount':
      return { ...base, resource: 'serviceaccounts' };
    case 'User':
      return { ...base, resource: 'users' };
    case 'Group':
      return { ...base, resource: 'groups' };
    case 'UserExtra':
      return {
        ...base,
        apiGroup: 'authentication.k8s.io',
        apiVersion: 'v1',
        resource: 'userextras',
        subresource: r.fieldPath,
      };
    case 'UID':
      return { ...base, apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'uids' };
  }
}

function infoOf(attrs: Omit<AuthorizeRequest, 'user'>): RequestInfo {
  return {
    isResourceRequest: true,
    path: '',
    verb: attrs.verb,
    apiPrefix: 'apis',
    apiGroup: attrs.apiGroup,
    apiVersion: attrs.apiVersion,
    namespace: attrs.namespace,
    resource: attrs.resource,
    subresource: attrs.subresource,
    name: attrs.name,
    parts: [],
  };
}

function hasImpersonationHeader(req: Request): boolean {
  // Fast path: most requests carry none.
  for (const header in req.headers) if (isImpersonationHeader(header)) return true;
  return false;
}

function isImpersonationHeader(lowerName: string): boolean {
  return lowerName.startsWith('impersonate-');
}

/**
 * kube's serviceaccount.SplitUsername: system:serviceaccount:<ns>:<name> with a valid
 * namespace (DNS-1123 label) and name (DNS-1123 subdomain); anything else is a plain user.
 */
export function splitServiceAccountUsername(
  username: string,
): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  if (!DNS1123_LABEL.test(namespace) || namespace.length > 63) return undefined;
  if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) return undefined;
  return { namespace, name };
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Extra keys are percent-encoded in header names (kube's unescapeExtraKey); bad escapes stay as sent. */
function unescapeExtraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/** Go's %v of []ObjectReference: `[{Kind Namespace Name UID APIVersion ResourceVersion FieldPath} ...]`. */
function formatRequests(requests: ImpersonationRequest[]): string {
  const one = (r: ImpersonationRequest) =>
    `{${[r.kind, r.namespace, r.name, '', r.apiVersion, '', r.fieldPath].join(' ')}}`;
  return `[${requests.map(one).join(' ')}]`;
}

/**
 * kube's responsewriters.InternalError, which its impersonation filter uses for bad header
 * combinations: a plain-text 500 naming the request URI (not a Status object).
 */
function internalError(req: Request, res: Response, message: string): void {
  const uri = JSON.stringify(req.originalUrl)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  res.status(500);
  res.setHeader('Content-Type', 'text/plain');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(`Internal Server Error: ${uri}: ${message}`);
}
