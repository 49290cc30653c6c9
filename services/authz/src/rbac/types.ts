// The rbac.authorization.k8s.io/v1 shapes the authorizer reads. Objects come from informers
// as plain JSON, so every list may be absent.

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  [key: string]: unknown;
}

export interface AggregationRule {
  clusterRoleSelectors?: unknown[];
}

/** A Role or a ClusterRole. */
export interface RoleObject {
  metadata?: ObjectMeta;
  rules?: PolicyRule[] | null;
  aggregationRule?: AggregationRule | null;
}

/** A RoleBinding or a ClusterRoleBinding. */
export interface BindingObject {
  metadata?: ObjectMeta;
  subjects?: Subject[] | null;
  roleRef: RoleRef;
}

/** The user as authentication produced it (a subset of the proto UserInfo). */
export interface RbacUser {
  username: string;
  groups: readonly string[];
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const SYSTEM_MASTERS = 'system:masters';
