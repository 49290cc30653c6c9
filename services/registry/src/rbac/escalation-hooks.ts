// RBAC escalation prevention, as kube's rbac policybased storage wraps the Role, ClusterRole,
// RoleBinding and ClusterRoleBinding stores: a create or update (dryRun included) goes on
// only when the requesting user is in system:masters (kube's EscalationAllowed, which also
// keeps the plane's own bootstrap writes free of a call back into authz), or the authz
// service's ConfirmNoEscalation allows it (the user may `escalate` / `bind`, or already
// holds every permission the object grants). Otherwise: kube's 403 Forbidden with the reason.
import { newForbidden } from '@splitplane/apimachinery';
import { call } from '@splitplane/kit';
import type {
  AuthorizerClient,
  EscalationCheckRequest,
  EscalationCheckResponse,
  UserInfo,
} from '@splitplane/proto';
import type { KubeObject, ResourceDefinition } from '@splitplane/scheme';
import type { WriteContext } from '../store/context.js';
import type { WriteHooks } from '../store/write-hooks.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const RBAC_KINDS: ReadonlySet<string> = new Set([
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
]);
/** kube's user.SystemPrivilegedGroup. */
export const SYSTEM_MASTERS = 'system:masters';

/** Whether a definition is one of the four kinds escalation prevention guards. */
export function isRbacKind(def: ResourceDefinition): boolean {
  return def.group === RBAC_GROUP && RBAC_KINDS.has(def.kind);
}

/** Asks whether `user` may write `obj` without escalating (the authz ConfirmNoEscalation RPC). */
export type EscalationChecker = (
  request: EscalationCheckRequest,
  deadline: Date | undefined,
) => Promise<EscalationCheckResponse>;

export function grpcEscalationChecker(client: AuthorizerClient): EscalationChecker {
  return (request, deadline) =>
    call<EscalationCheckRequest, EscalationCheckResponse>(
      client,
      client.confirmNoEscalation,
      request,
      deadline ? { deadline } : {},
      'authz',
    );
}

export function escalationHooks(check: EscalationChecker): WriteHooks {
  return {
    async beginCreate(ctx, obj) {
      await confirm(check, ctx, obj, 'CREATE');
      return undefined;
    },
    async beginUpdate(ctx, obj, old) {
      // kube skips the check when only the fields garbage collection needs change.
      if (onlyGcFieldsChanged(obj, old)) return undefined;
      await confirm(check, ctx, obj, 'UPDATE');
      return undefined;
    },
  };
}

async function confirm(
  check: EscalationChecker,
  ctx: WriteContext,
  obj: KubeObject,
  operation: 'CREATE' | 'UPDATE',
) {
  const user = ctx.attrs.user;
  if (escalationAllowed(user)) return;
  const answer = await check(
    {
      user,
      kind: ctx.def.kind,
      namespace: ctx.def.namespaced ? ctx.namespace : '',
      object: Buffer.from(JSON.stringify(obj)),
      operation,
    },
    ctx.deadline,
  );
  if (answer.allowed) return;
  throw newForbidden(
    { group: ctx.def.group, resource: ctx.def.plural },
    obj.metadata?.name ?? ctx.name,
    answer.reason,
  );
}

/** kube's EscalationAllowed: system:masters may do anything (privileged loopback included). */
export function escalationAllowed(user: UserInfo | undefined): boolean {
  return user?.groups.includes(SYSTEM_MASTERS) ?? false;
}

/** Server-managed metadata that differs between the stored and the incoming object. */
const IGNORED_META = new Set([
  'ownerReferences',
  'finalizers',
  'resourceVersion',
  'managedFields',
  'generation',
  'uid',
  'creationTimestamp',
]);

/** kube's IsOnlyMutatingGCFields: equal once ownerReferences and finalizers are set aside. */
export function onlyGcFieldsChanged(obj: KubeObject, old: KubeObject): boolean {
  return canonical(strip(obj)) === canonical(strip(old));
}

function strip(o: KubeObject): unknown {
  const { metadata, ...rest } = o as KubeObject & { metadata?: Record<string, unknown> };
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata ?? {})) if (!IGNORED_META.has(k)) meta[k] = v;
  return { ...rest, metadata: meta };
}

/** JSON with sorted keys, so key order never makes two equal objects differ. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
