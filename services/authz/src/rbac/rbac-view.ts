// The RBAC objects a decision reads, over four informer stores. Bindings are indexed by
// subject (ServiceAccounts by the username they match), RoleBindings also by namespace, so a
// decision reads only the bindings that can apply to its user.
import { IndexedStore, type Indexer, type ReadonlyStore } from '@splitplane/informer';
import type { KubeObject } from '@splitplane/scheme';
import { subjectKey, userKeys } from './subjects.js';
import type { BindingObject, RbacUser, RoleObject } from './types.js';

export const SUBJECT_INDEX = 'subject';

const bindingOf = (obj: KubeObject) => obj as unknown as BindingObject;

function subjectKeys(obj: KubeObject): string[] {
  const binding = bindingOf(obj);
  const ns = binding.metadata?.namespace ?? '';
  const keys = new Set<string>();
  for (const subject of binding.subjects ?? []) {
    const key = subjectKey(subject, ns);
    // RoleBindings grant only in their namespace: key them by it.
    if (key !== undefined) keys.add(ns ? `${ns}|${key}` : key);
  }
  return [...keys];
}

/** The indexers the binding informers are built with. */
export const BINDING_INDEXERS: Record<string, Indexer> = { [SUBJECT_INDEX]: subjectKeys };

export interface RbacStores {
  roles: ReadonlyStore;
  clusterRoles: ReadonlyStore;
  /** Built with BINDING_INDEXERS. */
  roleBindings: ReadonlyStore;
  /** Built with BINDING_INDEXERS. */
  clusterRoleBindings: ReadonlyStore;
}

const byName = (a: BindingObject, b: BindingObject) =>
  (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;

export class RbacView {
  constructor(private readonly stores: RbacStores) {}

  getRole(namespace: string, name: string): RoleObject | undefined {
    return this.stores.roles.get(namespace, name) as RoleObject | undefined;
  }

  getClusterRole(name: string): RoleObject | undefined {
    return this.stores.clusterRoles.get('', name) as RoleObject | undefined;
  }

  /** ClusterRoleBindings with a subject that may apply to `user`, by name. */
  clusterRoleBindingsFor(user: RbacUser): BindingObject[] {
    return this.#lookup(this.stores.clusterRoleBindings, userKeys(user));
  }

  /** RoleBindings of `namespace` with a subject that may apply to `user`, by name. */
  roleBindingsFor(user: RbacUser, namespace: string): BindingObject[] {
    return this.#lookup(
      this.stores.roleBindings,
      userKeys(user).map((k) => `${namespace}|${k}`),
    );
  }

  #lookup(store: ReadonlyStore, keys: string[]): BindingObject[] {
    const found = new Set<KubeObject>();
    for (const key of keys) for (const obj of store.byIndex(SUBJECT_INDEX, key)) found.add(obj);
    return [...found].map(bindingOf).sort(byName);
  }
}

/** A view over fixed objects (tests, benchmarks, and the escalation check's own tests). */
export function staticRbacView(objects: {
  roles?: RoleObject[];
  clusterRoles?: RoleObject[];
  roleBindings?: BindingObject[];
  clusterRoleBindings?: BindingObject[];
}): RbacView {
  const fill = (items: object[] | undefined, indexers?: Record<string, Indexer>) => {
    const store = new IndexedStore(indexers);
    for (const item of items ?? []) store.set(item as KubeObject);
    return store;
  };
  return new RbacView({
    roles: fill(objects.roles),
    clusterRoles: fill(objects.clusterRoles),
    roleBindings: fill(objects.roleBindings, BINDING_INDEXERS),
    clusterRoleBindings: fill(objects.clusterRoleBindings, BINDING_INDEXERS),
  });
}
