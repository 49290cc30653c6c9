// kube's DefaultRuleResolver.VisitRulesFor over our view: ClusterRoleBindings first, then the
// RoleBindings of the namespace; for each binding whose subjects apply to the user, the rules
// of the role it references. A missing role is an error the visitor sees, not a denial.
import type { RbacView } from './rbac-view.js';
import { describeSubject, subjectAppliesTo } from './subjects.js';
import type { BindingObject, PolicyRule, RbacUser, RoleRef, Subject } from './types.js';

/** Return false to stop visiting. `source` describes the binding (allow reasons). */
export type RuleVisitor = (
  source: () => string,
  rule: PolicyRule | undefined,
  err?: Error,
) => boolean;

export class RoleNotFoundError extends Error {
  constructor(resource: string, name: string) {
    super(`${resource}.rbac.authorization.k8s.io ${JSON.stringify(name)} not found`);
    this.name = 'RoleNotFoundError';
  }
}

export class UnsupportedRoleRefError extends Error {
  constructor(kind: string) {
    super(`unsupported role reference kind: ${JSON.stringify(kind)}`);
    this.name = 'UnsupportedRoleRefError';
  }
}

/**
 * The rules a roleRef grants. `notFoundResource` names the resource in not-found errors:
 * kube's authorizer reads listers ("role"), its registry reads storage ("roles").
 */
export function roleRefRules(
  view: RbacView,
  ref: RoleRef,
  bindingNamespace: string,
  plural = false,
): PolicyRule[] {
  switch (ref.kind) {
    case 'Role': {
      const role = view.getRole(bindingNamespace, ref.name);
      if (!role) throw new RoleNotFoundError(plural ? 'roles' : 'role', ref.name);
      return role.rules ?? [];
    }
    case 'ClusterRole': {
      const role = view.getClusterRole(ref.name);
      if (!role) throw new RoleNotFoundError(plural ? 'clusterroles' : 'clusterrole', ref.name);
      return role.rules ?? [];
    }
    default:
      throw new UnsupportedRoleRefError(ref.kind);
  }
}

function applyingSubject(
  user: RbacUser,
  binding: BindingObject,
  namespace: string,
): Subject | undefined {
  return (binding.subjects ?? []).find((s) => subjectAppliesTo(user, s, namespace));
}

function visitBinding(
  view: RbacView,
  user: RbacUser,
  binding: BindingObject,
  cluster: boolean,
  visitor: RuleVisitor,
  plural: boolean,
): boolean {
  const ns = cluster ? '' : (binding.metadata?.namespace ?? '');
  const subject = applyingSubject(user, binding, ns);
  if (!subject) return true;
  let rules: PolicyRule[];
  try {
    rules = roleRefRules(view, binding.roleRef, ns, plural);
  } catch (err) {
    return visitor(() => '', undefined, err as Error);
  }
  const name = binding.metadata?.name ?? '';
  const describe = () =>
    cluster
      ? `ClusterRoleBinding ${JSON.stringify(name)} of ${binding.roleRef.kind} ${JSON.stringify(binding.roleRef.name)} to ${describeSubject(subject, '')}`
      : `RoleBinding ${JSON.stringify(`${name}/${ns}`)} of ${binding.roleRef.kind} ${JSON.stringify(binding.roleRef.name)} to ${describeSubject(subject, ns)}`;
  for (const rule of rules) {
    if (!visitor(describe, rule)) return false;
  }
  return true;
}

/** `plural`: name missing roles as the registry does (see roleRefRules). */
export function visitRulesFor(
  view: RbacView,
  user: RbacUser,
  namespace: string,
  visitor: RuleVisitor,
  plural = false,
): void {
  for (const binding of view.clusterRoleBindingsFor(user)) {
    if (!visitBinding(view, user, binding, true, visitor, plural)) return;
  }
  if (!namespace) return;
  for (const binding of view.roleBindingsFor(user, namespace)) {
    if (!visitBinding(view, user, binding, false, visitor, plural)) return;
  }
}

export interface ResolvedRules {
  rules: PolicyRule[];
  errors: Error[];
}

/** kube's RulesFor: every rule the user holds in the namespace, plus resolution errors. */
export function rulesFor(
  view: RbacView,
  user: RbacUser,
  namespace: string,
  plural = false,
): ResolvedRules {
  const rules: PolicyRule[] = [];
  const errors: Error[] = [];
  visitRulesFor(
    view,
    user,
    namespace,
    (_source, rule, err) => {
      if (rule) rules.push(rule);
      if (err) errors.push(err);
      return true;
    },
    plural,
  );
  return { rules, errors };
}

/** utilerrors.NewAggregate(...).Error(): one message, or `[a, b]`. */
export function aggregateMessage(errors: readonly Error[]): string {
  if (errors.length === 1) return errors[0]!.message;
  return `[${errors.map((e) => e.message).join(', ')}]`;
}
