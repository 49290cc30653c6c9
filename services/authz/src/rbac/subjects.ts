// Which users a binding's subjects name, and the keys bindings are indexed under so that a
// decision reads only the bindings that can apply to its user.
import type { RbacUser, Subject } from './types.js';

const SA_PREFIX = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_PREFIX}${namespace}:${name}`;
}

/** kube's appliesToUser; `namespace` defaults a ServiceAccount subject's namespace. */
export function subjectAppliesTo(user: RbacUser, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      if (!ns) return false;
      return user.username === serviceAccountUsername(ns, subject.name);
    }
    default:
      return false;
  }
}

/** kube's describeSubject, as it appears in allow reasons. */
export function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') {
    const ns = subject.namespace || bindingNamespace;
    return `${subject.kind} ${JSON.stringify(`${subject.name}/${ns}`)}`;
  }
  return `${subject.kind} ${JSON.stringify(subject.name)}`;
}

/**
 * Index key of a subject. ServiceAccount subjects are keyed by the username they match
 * (their namespace defaulting to the binding's), so users and service accounts share keys.
 */
export function subjectKey(subject: Subject, bindingNamespace: string): string | undefined {
  switch (subject.kind) {
    case 'User':
      return `u:${subject.name}`;
    case 'Group':
      return `g:${subject.name}`;
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return ns ? `u:${serviceAccountUsername(ns, subject.name)}` : undefined;
    }
    default:
      return undefined;
  }
}

/** Every key under which a binding that applies to `user` is indexed. */
export function userKeys(user: RbacUser): string[] {
  return [`u:${user.username}`, ...user.groups.map((g) => `g:${g}`)];
}
