// kube's default ClusterRoles that apply to an API server (plugin/pkg/auth/authorizer/rbac/
// bootstrappolicy in kubernetes/kubernetes), as data. Left out: roles for kubelets and
// nodes (system:node*, system:kubelet-api-admin), add-ons (heapster, kube-dns's cousins
// without a resource here) and certificates.k8s.io signers, whose resources splitplane does
// not serve.
import { resourceRule as r, urlRule, type PolicyRule } from './rules.js';

export interface AggregationRule {
  clusterRoleSelectors: Array<{
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  }>;
}

export interface BootstrapClusterRole {
  name: string;
  /** Labels beyond kube's kubernetes.io/bootstrapping=rbac-defaults. */
  labels?: Record<string, string>;
  rules: PolicyRule[];
  aggregationRule?: AggregationRule;
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = [...READ, ...WRITE];
const EVENTS = r(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']);

export const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
export const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
export const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

const aggregateFrom = (label: string): AggregationRule => ({
  clusterRoleSelectors: [{ matchLabels: { [label]: 'true' } }],
});

/** The user-facing roles: admin ⊇ edit ⊇ view, each filled by the aggregation controller. */
const userFacing: BootstrapClusterRole[] = [
  {
    name: 'cluster-admin',
    rules: [r(['*'], ['*'], ['*']), urlRule(['*'], ['*'])],
  },
  { name: 'admin', rules: [], aggregationRule: aggregateFrom(AGGREGATE_TO_ADMIN) },
  {
    name: 'edit',
    labels: { [AGGREGATE_TO_ADMIN]: 'true' },
    rules: [],
    aggregationRule: aggregateFrom(AGGREGATE_TO_EDIT),
  },
  {
    name: 'view',
    labels: { [AGGREGATE_TO_EDIT]: 'true' },
    rules: [],
    aggregationRule: aggregateFrom(AGGREGATE_TO_VIEW),
  },
  {
    name: 'system:aggregate-to-admin',
    labels: { [AGGREGATE_TO_ADMIN]: 'true' },
    rules: [
      r(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
      r(READ_WRITE, ['rbac.authorization.k8s.io'], ['rolebindings', 'roles']),
    ],
  },
  {
    name: 'system:aggregate-to-edit',
    labels: { [AGGREGATE_TO_EDIT]: 'true' },
    rules: [
      r(
        READ,
        [''],
        ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
      ),
      r(['impersonate'], [''], ['serviceaccounts']),
      r(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
      r(['create'], [''], ['pods/eviction']),
      r(
        WRITE,
        [''],
        [
          'configmaps',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ],
      ),
      r(['create'], [''], ['serviceaccounts/token']),
      r(
        WRITE,
        ['apps'],
        [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'replicasets',
          'replicasets/scale',
          'statefulsets',
          'statefulsets/scale',
        ],
      ),
      r(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
      r(WRITE, ['batch'], ['cronjobs', 'jobs']),
      r(
        WRITE,
        ['extensions'],
        [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'ingresses',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicationcontrollers/scale',
        ],
      ),
      r(WRITE, ['policy'], ['poddisruptionbudgets']),
      r(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
      r(READ_WRITE, ['coordination.k8s.io'], ['leases']),
    ],
  },
  {
    name: 'system:aggregate-to-view',
    labels: { [AGGREGATE_TO_VIEW]: 'true' },
    rules: [
      r(
        READ,
        [''],
        [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
      ),
      r(
        READ,
        [''],
        [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
      ),
      r(READ, [''], ['namespaces']),
      r(READ, ['discovery.k8s.io'], ['endpointslices']),
      r(
        READ,
        ['apps'],
        [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ],
      ),
      r(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
      r(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
      r(
        READ,
        ['extensions'],
        [
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'ingresses',
          'ingresses/status',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'replicationcontrollers/scale',
        ],
      ),
      r(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
      r(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
    ],
  },
];

/** Roles of every user and of the API server's own clients and peers. */
const system: BootstrapClusterRole[] = [
  {
    name: 'system:basic-user',
    rules: [
      r(
        ['create'],
        ['authorization.k8s.io'],
        ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      ),
      r(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ],
  },
  {
    name: 'system:discovery',
    rules: [
      urlRule(
        ['get'],
        [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
      ),
    ],
  },
  {
    name: 'system:public-info-viewer',
    rules: [urlRule(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])],
  },
  {
    name: 'system:monitoring',
    rules: [
      urlRule(
        ['get'],
        [
          '/healthz',
          '/healthz/*',
          '/livez',
          '/livez/*',
          '/metrics',
          '/metrics/slis',
          '/readyz',
          '/readyz/*',
        ],
      ),
    ],
  },
  {
    name: 'system:auth-delegator',
    rules: [
      r(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    ],
  },
  {
    name: 'system:service-account-issuer-discovery',
    rules: [urlRule(['get'], ['/.well-known/openid-configuration', '/openid/v1/jwks'])],
  },
  { name: 'system:kube-aggregator', rules: [r(READ, [''], ['endpoints', 'services'])] },
  {
    name: 'system:kube-controller-manager',
    rules: [
      EVENTS,
      r(['create'], ['coordination.k8s.io'], ['leases']),
      r(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-controller-manager']),
      r(['create'], [''], ['secrets', 'serviceaccounts']),
      r(['delete'], [''], ['secrets']),
      r(['get'], [''], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts']),
      r(['update'], [''], ['secrets', 'serviceaccounts']),
      r(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
      r(['list', 'watch'], ['*'], ['*']),
      r(['create'], [''], ['serviceaccounts/token']),
    ],
  },
  { name: 'system:kube-dns', rules: [r(['list', 'watch'], [''], ['endpoints', 'services'])] },
  {
    name: 'system:kube-scheduler',
    rules: [
      EVENTS,
      r(['create'], ['coordination.k8s.io'], ['leases']),
      r(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-scheduler']),
      r(READ, [''], ['nodes']),
      r(['delete', ...READ], [''], ['pods']),
      r(['create'], [''], ['bindings', 'pods/binding']),
      r(['patch', 'update'], [''], ['pods/status']),
      r(READ, [''], ['replicationcontrollers', 'services']),
      r(READ, ['apps', 'extensions'], ['replicasets']),
      r(READ, ['apps'], ['statefulsets']),
      r(READ, ['policy'], ['poddisruptionbudgets']),
      r(READ, [''], ['persistentvolumeclaims', 'persistentvolumes']),
      r(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
      r(READ, ['storage.k8s.io'], ['csinodes']),
      r(READ, [''], ['namespaces']),
      r(READ, ['storage.k8s.io'], ['csidrivers']),
      r(READ, ['storage.k8s.io'], ['csistoragecapacities']),
    ],
  },
  {
    name: 'system:node-proxier',
    rules: [
      r(['list', 'watch'], [''], ['endpoints', 'services']),
      r(READ, [''], ['nodes']),
      EVENTS,
      r(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    ],
  },
  {
    name: 'system:volume-scheduler',
    rules: [
      r([...READ, 'patch', 'update'], [''], ['persistentvolumes']),
      r(READ, ['storage.k8s.io'], ['storageclasses']),
      r([...READ, 'patch', 'update'], [''], ['persistentvolumeclaims']),
    ],
  },
  {
    name: 'system:persistent-volume-provisioner',
    rules: [
      r(['create', 'delete', ...READ], [''], ['persistentvolumes']),
      r([...READ, 'update'], [''], ['persistentvolumeclaims']),
      r(READ, ['storage.k8s.io'], ['storageclasses']),
      r(['watch'], [''], ['events']),
      EVENTS,
    ],
  },
];

export const BOOTSTRAP_CLUSTER_ROLES: readonly BootstrapClusterRole[] = [...userFacing, ...system];
