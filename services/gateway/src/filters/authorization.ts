// Asks the authz service (Authorizer.Authorize) about every request (except kube's
// public-info paths). Allow continues;
// Deny and NoOpinion answer 403 with kube's exact Forbidden message. Decisions are reused
// for a short TTL when a cache is given (authorization-cache.ts).
import type { RequestHandler } from 'express';
import { StatusError } from '@splitplane/apimachinery';
import { unaryCall } from '../backends/unary.js';
import {
  type AuthorizerClient,
  type AuthorizeRequest,
  type AuthorizeResponse,
  Decision,
} from '@splitplane/proto';
import { contextOf } from '../request-context.js';
import { isPublicInfoPath } from '../authn/index.js';
import { type AuthorizationCache, authorizationCacheKey } from './authorization-cache.js';
import type { RequestInfo } from './request-info-parser.js';

export function authorizationFilter(
  client: AuthorizerClient,
  cache?: AuthorizationCache,
): RequestHandler {
  const cached = cache?.enabled ? cache : undefined;
  return async (req, _res, next) => {
    const ctx = contextOf(req);
    // kube's system:public-info-viewer binding allows these to authenticated and
    // unauthenticated users alike; answering here keeps /readyz truthful (and cheap) when
    // authz itself is down.
    if (isPublicInfoPath(req.method, req.path)) return next();
    const request = authorizeRequest(ctx.info, ctx.user);
    const key = cached ? authorizationCacheKey(request) : undefined;
    const hit = key !== undefined ? cached!.get(key) : undefined;
    if (hit) {
      if (hit.allowed) return next();
      return next(forbidden(ctx.info, ctx.user?.username ?? '', hit.reason));
    }
    const generation = cached?.generation ?? 0;
    const response = await unaryCall<AuthorizeRequest, AuthorizeResponse>(
      client,
      client.authorize,
      request,
      { deadline: ctx.deadline, abortable: ctx, auditId: ctx.auditId },
      'authz',
    );
    const allowed = response.decision === Decision.DECISION_ALLOW;
    // An evaluation error is an error, and errors are never cached.
    if (key !== undefined && !response.evaluationError)
      cached!.set(key, { allowed, reason: response.reason }, generation);
    if (allowed) return next();
    next(forbidden(ctx.info, ctx.user?.username ?? '', response.reason));
  };
}

export function authorizeRequest(
  info: RequestInfo,
  user: AuthorizeRequest['user'],
): AuthorizeRequest {
  return {
    user,
    verb: info.verb,
    resourceRequest: info.isResourceRequest,
    path: info.path,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    namespace: info.namespace,
    name: info.name,
  };
}

/** kube's 403: `<resource> "<name>" is forbidden: User "<u>" cannot <verb> ...[: reason]`. */
export function forbidden(info: RequestInfo, username: string, reason: string): StatusError {
  let msg: string;
  if (!info.isResourceRequest) {
    msg = `User ${goQuote(username)} cannot ${info.verb} path ${goQuote(info.path)}`;
  } else {
    const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
    msg = `User ${goQuote(username)} cannot ${info.verb} resource ${goQuote(resource)} in API group ${goQuote(info.apiGroup)}`;
    msg += info.namespace
      ? ` in the namespace ${goQuote(info.namespace)}`
      : ' at the cluster scope';
  }
  // kube escapes &, < and > in its own part of the message (not in the authorizer's reason).
  msg = msg.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (reason) msg += `: ${reason}`;
  const gr = info.isResourceRequest
    ? info.apiGroup
      ? `${info.resource}.${info.apiGroup}`
      : info.resource
    : '';
  let message: string;
  if (!gr) message = `forbidden: ${msg}`;
  else if (info.name) message = `${gr} ${goQuote(info.name)} is forbidden: ${msg}`;
  else message = `${gr} is forbidden: ${msg}`;
  const details: NonNullable<StatusError['status']['details']> = {};
  if (info.name) details.name = info.name;
  if (info.isResourceRequest && info.apiGroup) details.group = info.apiGroup;
  if (info.isResourceRequest && info.resource) details.kind = info.resource;
  return new StatusError({ code: 403, reason: 'Forbidden', message, details });
}

/** Go's %q for the plain strings that appear here. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}
