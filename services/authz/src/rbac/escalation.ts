// RBAC escalation prevention, as kube's rbac registry applies it to writes of roles and
// bindings. A Role or ClusterRole may be written by a user allowed to `escalate` it, or who
// already holds every rule it grants (a ClusterRole with an aggregationRule can gather
// anything, so it also needs full authority). A binding may be written by a user allowed to
// `bind` the role it references, or who holds all of that role's rules. system:masters
// always passes. The reason is the message kube puts in its 403.
import type { Attributes, Authorizer } from '../authorizer/authorizer.js';
import { describeMissing } from './compact.js';
import { covers } from './covers.js';
import { goQuote, goQuoteList } from './go-quote.js';
import type { RbacView } from './rbac-view.js';
import { aggregateMessage, roleRefRules, rulesFor } from './rule-resolver.js';
import {
  RBAC_GROUP,
  SYSTEM_MASTERS,
  type BindingObject,
  type PolicyRule,
  type RbacUser,
  type RoleObject,
} from './types.js';

export type RbacKind = 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';

export interface EscalationCheck {
  user: RbacUser & { uid?: string; extra?: Attributes['user']['extra'] };
  kind: string;
  /** The namespace of a Role or RoleBinding; empty for cluster-scoped kinds. */
  namespace: string;
  /** The object being written (parsed JSON). */
  object: unknown;
  /** A create: kube asks `escalate` with the request's name, and a create has none. */
  creating?: boolean;
}

export interface EscalationResult {
  allowed: boolean;
  reason: string;
}

export class UnknownRbacKindError extends Error {
  constructor(kind: string) {
    super(
      `escalation checks apply to Role, ClusterRole, RoleBinding and ClusterRoleBinding, not ${JSON.stringify(kind)}`,
    );
    this.name = 'UnknownRbacKindError';
  }
}

/** kube's fullAuthority: what an aggregationRule needs. */
const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

const ALLOWED: EscalationResult = { allowed: true, reason: '' };

export class EscalationChecker {
  /** `view` is absent when authz has no RBAC objects (then the user holds no rules). */
  constructor(
    private readonly authorizer: Authorizer,
    private readonly view: RbacView | undefined,
  ) {}

  async check(req: EscalationCheck): Promise<EscalationResult> {
    if (req.user.groups.includes(SYSTEM_MASTERS)) return ALLOWED;
    switch (req.kind) {
      case 'Role':
      case 'ClusterRole':
        return this.#checkRole(req, req.object as RoleObject);
      case 'RoleBinding':
      case 'ClusterRoleBinding':
        return this.#checkBinding(req, req.object as BindingObject);
      default:
        throw new UnknownRbacKindError(req.kind);
    }
  }

  async #allowedTo(req: EscalationCheck, verb: string, resource: string, name: string) {
    const result = await this.authorizer.authorize({
      user: {
        username: req.user.username,
        uid: req.user.uid ?? '',
        groups: [...req.user.groups],
        extra: req.user.extra ?? {},
      },
      verb,
      resourceRequest: true,
      path: '',
      apiGroup: RBAC_GROUP,
      apiVersion: '*',
      resource,
      subresource: '',
      namespace: req.namespace,
      name,
    });
    return result.decision === 'Allow';
  }

  async #checkRole(req: EscalationCheck, role: RoleObject): Promise<EscalationResult> {
    const resource = req.kind === 'Role' ? 'roles' : 'clusterroles';
    const name = req.creating ? '' : (role?.metadata?.name ?? '');
    if (await this.#allowedTo(req, 'escalate', resource, name)) return ALLOWED;
    const held = this.#confirm(req, role?.rules ?? []);
    if (!held.allowed) return held;
    const selectors = role?.aggregationRule?.clusterRoleSelectors ?? [];
    if (req.kind === 'ClusterRole' && selectors.length > 0) {
      if (!this.#confirm(req, FULL_AUTHORITY).allowed) {
        return {
          allowed: false,
          reason: 'must have cluster-admin privileges to use the aggregationRule',
        };
      }
    }
    return ALLOWED;
  }

  async #checkBinding(req: EscalationCheck, binding: BindingObject): Promise<EscalationResult> {
    const ref = binding?.roleRef ?? { kind: '', name: '' };
    const resource =
      ref.kind === 'Role' ? 'roles' : ref.kind === 'ClusterRole' ? 'clusterroles' : '';
    if (resource && (await this.#allowedTo(req, 'bind', resource, ref.name))) return ALLOWED;
    let rules: PolicyRule[];
    try {
      if (!this.view)
        throw new Error(
          `${resource || 'roles'}.rbac.authorization.k8s.io ${goQuote(ref.name)} not found`,
        );
      // The registry reads roles from storage: its not-found names the plural resource.
      rules = roleRefRules(this.view, ref, req.namespace, true);
    } catch (err) {
      return { allowed: false, reason: (err as Error).message };
    }
    return this.#confirm(req, rules);
  }

  /** kube's ConfirmNoEscalation: the user's own rules in the namespace cover `rules`. */
  #confirm(req: EscalationCheck, rules: readonly PolicyRule[]): EscalationResult {
    const owner = this.view
      ? rulesFor(this.view, req.user, req.namespace, true)
      : { rules: [], errors: [] };
    const result = covers(owner.rules, rules);
    if (result.covered) return ALLOWED;
    let msg =
      `user ${goQuote(req.user.username)} (groups=${goQuoteList(req.user.groups)}) ` +
      `is attempting to grant RBAC permissions not currently held:\n` +
      describeMissing(result.missing).join('\n');
    if (owner.errors.length > 0) {
      // kube prints its one aggregated resolution error inside a Go slice: `[...]`.
      msg += `; resolution errors: [${aggregateMessage(owner.errors)}]`;
    }
    return { allowed: false, reason: msg };
  }
}
