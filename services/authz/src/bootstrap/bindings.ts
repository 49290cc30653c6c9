// kube's default ClusterRoleBindings, and the Roles and RoleBindings it creates in
// kube-system and kube-public, for the roles of cluster-roles.ts.
import { resourceRule as r, type PolicyRule } from './rules.js';

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  apiGroup?: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole';
  name: string;
}

export interface BootstrapBinding {
  name: string;
  /** Set for RoleBindings. */
  namespace?: string;
  roleRef: RoleRef;
  subjects: Subject[];
}

export interface BootstrapRole {
  name: string;
  namespace: string;
  rules: PolicyRule[];
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const group = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: 'Group', name });
const user = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: 'User', name });
const serviceAccount = (namespace: string, name: string): Subject => ({
  kind: 'ServiceAccount',
  name,
  namespace,
});
const clusterRoleRef = (name: string): RoleRef => ({
  apiGroup: RBAC_GROUP,
  kind: 'ClusterRole',
  name,
});
const roleRef = (name: string): RoleRef => ({ apiGroup: RBAC_GROUP, kind: 'Role', name });

/** ClusterRoleBindings named after the ClusterRole they bind. */
const bindClusterRole = (name: string, ...subjects: Subject[]): BootstrapBinding => ({
  name,
  roleRef: clusterRoleRef(name),
  subjects,
});

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly BootstrapBinding[] = [
  bindClusterRole('cluster-admin', group('system:masters')),
  bindClusterRole('system:monitoring', group('system:monitoring')),
  bindClusterRole('system:discovery', group('system:authenticated')),
  bindClusterRole('system:basic-user', group('system:authenticated')),
  bindClusterRole(
    'system:public-info-viewer',
    group('system:authenticated'),
    group('system:unauthenticated'),
  ),
  bindClusterRole('system:kube-controller-manager', user('system:kube-controller-manager')),
  bindClusterRole('system:kube-dns', serviceAccount('kube-system', 'kube-dns')),
  bindClusterRole('system:kube-scheduler', user('system:kube-scheduler')),
  bindClusterRole('system:volume-scheduler', user('system:kube-scheduler')),
  bindClusterRole('system:node-proxier', user('system:kube-proxy')),
  bindClusterRole('system:service-account-issuer-discovery', group('system:serviceaccounts')),
];

const LEADER_LOCKING = [
  r(['create', 'get', 'list', 'update', 'watch'], ['coordination.k8s.io'], ['leases']),
  r(['create', 'get', 'list', 'update', 'watch'], ['coordination.k8s.io'], ['leasecandidates']),
];
const EVENTS = r(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']);

export const BOOTSTRAP_ROLES: readonly BootstrapRole[] = [
  {
    name: 'extension-apiserver-authentication-reader',
    namespace: 'kube-system',
    rules: [
      r(['get', 'list', 'watch'], [''], ['configmaps'], ['extension-apiserver-authentication']),
    ],
  },
  {
    name: 'system::leader-locking-kube-controller-manager',
    namespace: 'kube-system',
    rules: LEADER_LOCKING,
  },
  {
    name: 'system::leader-locking-kube-scheduler',
    namespace: 'kube-system',
    rules: LEADER_LOCKING,
  },
  {
    name: 'system:controller:bootstrap-signer',
    namespace: 'kube-system',
    rules: [r(['get', 'list', 'watch'], [''], ['secrets'])],
  },
  {
    name: 'system:controller:token-cleaner',
    namespace: 'kube-system',
    rules: [r(['delete', 'get', 'list', 'watch'], [''], ['secrets']), EVENTS],
  },
  {
    name: 'system:controller:bootstrap-signer',
    namespace: 'kube-public',
    rules: [
      r(['get', 'list', 'watch'], [''], ['configmaps']),
      r(['update'], [''], ['configmaps'], ['cluster-info']),
      EVENTS,
    ],
  },
];

export const BOOTSTRAP_ROLE_BINDINGS: readonly BootstrapBinding[] = [
  {
    name: 'system::extension-apiserver-authentication-reader',
    namespace: 'kube-system',
    roleRef: roleRef('extension-apiserver-authentication-reader'),
    subjects: [user('system:kube-controller-manager'), user('system:kube-scheduler')],
  },
  {
    name: 'system::leader-locking-kube-controller-manager',
    namespace: 'kube-system',
    roleRef: roleRef('system::leader-locking-kube-controller-manager'),
    subjects: [
      user('system:kube-controller-manager'),
      serviceAccount('kube-system', 'kube-controller-manager'),
      serviceAccount('kube-system', 'leader-election-controller'),
    ],
  },
  {
    name: 'system::leader-locking-kube-scheduler',
    namespace: 'kube-system',
    roleRef: roleRef('system::leader-locking-kube-scheduler'),
    subjects: [user('system:kube-scheduler'), serviceAccount('kube-system', 'kube-scheduler')],
  },
  {
    name: 'system:controller:bootstrap-signer',
    namespace: 'kube-system',
    roleRef: roleRef('system:controller:bootstrap-signer'),
    subjects: [serviceAccount('kube-system', 'bootstrap-signer')],
  },
  {
    name: 'system:controller:token-cleaner',
    namespace: 'kube-system',
    roleRef: roleRef('system:controller:token-cleaner'),
    subjects: [serviceAccount('kube-system', 'token-cleaner')],
  },
  {
    name: 'system:controller:bootstrap-signer',
    namespace: 'kube-public',
    roleRef: roleRef('system:controller:bootstrap-signer'),
    subjects: [serviceAccount('kube-system', 'bootstrap-signer')],
  },
];
