// kube's authorization of the parameters a ValidatingAdmissionPolicy or binding refers to
// (pkg/registry/admissionregistration/*/authz.go): once the object is valid, a user outside
// system:masters must be allowed to "get" the paramKind's objects (policy) or the paramRef'd
// object (binding); otherwise the write is a 422 with a Forbidden cause on spec.paramKind /
// spec.paramRef. A paramKind the scheme cannot resolve needs permission on every resource.
import { type FieldError, forbidden } from '@splitplane/apimachinery';
import { call } from '@splitplane/kit';
import {
  type AuthorizeRequest,
  type AuthorizeResponse,
  type AuthorizerClient,
  Decision,
  type UserInfo,
} from '@splitplane/proto';
import type { KubeObject, ResourceDefinition, Scheme } from '@splitplane/scheme';
import type { WriteContext } from '../../store/context.js';
import type { ReferenceCheck } from '../../store/store.js';
import { escalationAllowed } from '../../rbac/escalation-hooks.js';
import { type JsonObject, deepEqual, isObject } from '../internal/json.js';

/** true when the authorizer allows the request. */
export type ParamAuthorizer = (request: AuthorizeRequest, deadline?: Date) => Promise<boolean>;

export interface ParamAuthorizationDeps {
  authorize: ParamAuthorizer;
  scheme: Scheme;
  /** The stored ValidatingAdmissionPolicy of that name, if any. */
  getPolicy(name: string, deadline?: Date): Promise<KubeObject | undefined>;
}

const GROUP = 'admissionregistration.k8s.io';
const spec = (o: KubeObject | undefined): JsonObject => (o && isObject(o['spec']) ? o['spec'] : {});
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The checks for the kinds that have them, for the store's referenceChecks option. */
export function paramReferenceChecks(deps: ParamAuthorizationDeps) {
  return (def: ResourceDefinition): ReferenceCheck | undefined => {
    if (def.group !== GROUP) return undefined;
    if (def.kind === 'ValidatingAdmissionPolicy')
      return (ctx, obj, old) => checkPolicy(deps, ctx, obj, old);
    if (def.kind === 'ValidatingAdmissionPolicyBinding') {
      return (ctx, obj, old) => checkBinding(deps, ctx, obj, old);
    }
    return undefined;
  };
}

/** Go's %v of a *user.DefaultInfo, which kube puts in these messages. */
export function goUserString(user: UserInfo | undefined): string {
  if (!user) return '<nil>';
  const extra = Object.keys(user.extra ?? {})
    .sort()
    .map((k) => `${k}:[${(user.extra[k]?.values ?? []).join(' ')}]`)
    .join(' ');
  return `&{${user.username} ${user.uid} [${user.groups.join(' ')}] map[${extra}]}`;
}

/** group, version and resource to authorize for a paramKind ("*" where unknown). */
function paramTarget(scheme: Scheme, paramKind: unknown) {
  const target = { apiGroup: '*', apiVersion: '*', resource: '*' };
  if (!isObject(paramKind)) return target;
  const apiVersion = str(paramKind['apiVersion']);
  if ((apiVersion.match(/\//g) ?? []).length > 1) return target;
  const slash = apiVersion.indexOf('/');
  target.apiGroup = slash < 0 ? '' : apiVersion.slice(0, slash);
  target.apiVersion = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const def = scheme.kind(target.apiGroup, target.apiVersion, str(paramKind['kind']));
  if (def) target.resource = def.plural;
  return target;
}

async function checkPolicy(
  deps: ParamAuthorizationDeps,
  ctx: WriteContext,
  obj: KubeObject,
  old: KubeObject | undefined,
): Promise<FieldError[]> {
  const paramKind = spec(obj)['paramKind'];
  if (!isObject(paramKind)) return [];
  if (old && deepEqual(spec(old)['paramKind'], paramKind)) return [];
  const user = ctx.attrs.user;
  if (escalationAllowed(user)) return [];
  const allowed = await deps.authorize(
    request(user, { ...paramTarget(deps.scheme, paramKind), namespace: '*', name: '*' }),
    ctx.deadline,
  );
  if (allowed) return [];
  return [
    forbidden(
      'spec.paramKind',
      `user ${goUserString(user)} must have "get" permission on all objects of the referenced paramKind (kind=${str(paramKind['kind'])}, apiVersion=${str(paramKind['apiVersion'])})`,
    ),
  ];
}

async function checkBinding(
  deps: ParamAuthorizationDeps,
  ctx: WriteContext,
  obj: KubeObject,
  old: KubeObject | undefined,
): Promise<FieldError[]> {
  const paramRef = spec(obj)['paramRef'];
  if (!isObject(paramRef)) return [];
  const policyName = str(spec(obj)['policyName']);
  if (
    old &&
    deepEqual(spec(old)['paramRef'], paramRef) &&
    str(spec(old)['policyName']) === policyName
  ) {
    return [];
  }
  const user = ctx.attrs.user;
  if (escalationAllowed(user)) return [];
  const policy = await deps.getPolicy(policyName, ctx.deadline);
  const target = paramTarget(deps.scheme, policy ? spec(policy)['paramKind'] : undefined);
  const allowed = await deps.authorize(
    request(user, {
      ...target,
      namespace: str(paramRef['namespace']),
      name: str(paramRef['name']),
    }),
    ctx.deadline,
  );
  if (allowed) return [];
  return [
    forbidden(
      'spec.paramRef',
      `user ${goUserString(user)} does not have "get" permission on the object referenced by paramRef`,
    ),
  ];
}

function request(
  user: UserInfo | undefined,
  t: { apiGroup: string; apiVersion: string; resource: string; namespace: string; name: string },
): AuthorizeRequest {
  return {
    user,
    verb: 'get',
    resourceRequest: true,
    path: '',
    apiGroup: t.apiGroup,
    apiVersion: t.apiVersion,
    resource: t.resource,
    subresource: '',
    namespace: t.namespace,
    name: t.name,
  };
}

/** The authz service's Authorize RPC as a ParamAuthorizer. */
export function grpcParamAuthorizer(client: AuthorizerClient): ParamAuthorizer {
  return async (req, deadline) => {
    const res = await call<AuthorizeRequest, AuthorizeResponse>(
      client,
      client.authorize,
      req,
      deadline ? { deadline } : {},
      'authz',
    );
    return res.decision === Decision.DECISION_ALLOW;
  };
}
