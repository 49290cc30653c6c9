// The built-in resources splitplane serves, with kube-apiserver's names, scopes, short
// names, categories, etcd layout and selectable fields.
import type { ResourceDefinition, ScaleSubresource } from './resource-definition.js';
import { ALL_VERBS, NO_COLLECTION_VERBS } from './verbs.js';

interface Entry {
  kind: string;
  plural: string;
  shortNames?: string[];
  categories?: string[];
  clusterScoped?: boolean;
  status?: boolean;
  scale?: boolean;
  etcd?: string;
  fields?: string[];
  verbs?: ResourceDefinition['verbs'];
}

const REPLICAS_SCALE: ScaleSubresource = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  labelSelectorPath: '.status.selector',
};

/** Go package path segment used in OpenAPI names per group ("" -> core). */
const openapiGroup: Record<string, string> = {
  '': 'core',
  'admissionregistration.k8s.io': 'admissionregistration',
  apps: 'apps',
  batch: 'batch',
  'coordination.k8s.io': 'coordination',
  'discovery.k8s.io': 'discovery',
  'networking.k8s.io': 'networking',
  'node.k8s.io': 'node',
  policy: 'policy',
  'rbac.authorization.k8s.io': 'rbac',
  'scheduling.k8s.io': 'scheduling',
  'storage.k8s.io': 'storage',
};

function group(groupName: string, version: string, entries: Entry[]): ResourceDefinition[] {
  return entries.map((e) => ({
    group: groupName,
    version,
    kind: e.kind,
    listKind: `${e.kind}List`,
    plural: e.plural,
    singular: e.kind.toLowerCase(),
    shortNames: e.shortNames ?? [],
    categories: e.categories ?? [],
    namespaced: !e.clusterScoped,
    verbs: e.verbs ?? ALL_VERBS,
    subresources: {
      ...(e.status ? { status: true } : {}),
      ...(e.scale ? { scale: REPLICAS_SCALE } : {}),
    },
    storageVersion: version,
    etcdResource: e.etcd ?? e.plural,
    openapiName: `io.k8s.api.${openapiGroup[groupName] ?? groupName}.${version}.${e.kind}`,
    selectableFields: e.fields ?? [],
  }));
}

const ALL = ['all'];
const API_EXTENSIONS = ['api-extensions'];

export const BUILTIN_RESOURCES: readonly ResourceDefinition[] = [
  ...group('', 'v1', [
    {
      kind: 'Namespace',
      plural: 'namespaces',
      shortNames: ['ns'],
      clusterScoped: true,
      status: true,
      fields: ['status.phase'],
      verbs: NO_COLLECTION_VERBS,
    },
    { kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'] },
    { kind: 'Secret', plural: 'secrets', fields: ['type'] },
    { kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'] },
    {
      kind: 'Service',
      plural: 'services',
      shortNames: ['svc'],
      categories: ALL,
      status: true,
      etcd: 'services/specs',
      fields: ['spec.clusterIP', 'spec.type'],
    },
    { kind: 'Endpoints', plural: 'endpoints', shortNames: ['ep'], etcd: 'services/endpoints' },
    {
      kind: 'Pod',
      plural: 'pods',
      shortNames: ['po'],
      categories: ALL,
      status: true,
      fields: [
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'spec.hostNetwork',
        'status.phase',
        'status.podIP',
        'status.podIPs',
        'status.nominatedNodeName',
      ],
    },
    {
      kind: 'Event',
      plural: 'events',
      shortNames: ['ev'],
      fields: [
        'involvedObject.kind',
        'involvedObject.namespace',
        'involvedObject.name',
        'involvedObject.uid',
        'involvedObject.apiVersion',
        'involvedObject.resourceVersion',
        'involvedObject.fieldPath',
        'reason',
        'reportingComponent',
        'source',
        'type',
      ],
    },
    {
      kind: 'Node',
      plural: 'nodes',
      shortNames: ['no'],
      clusterScoped: true,
      status: true,
      etcd: 'minions',
      fields: ['spec.unschedulable'],
    },
    {
      kind: 'PersistentVolumeClaim',
      plural: 'persistentvolumeclaims',
      shortNames: ['pvc'],
      status: true,
    },
    { kind: 'LimitRange', plural: 'limitranges', shortNames: ['limits'] },
    { kind: 'ResourceQuota', plural: 'resourcequotas', shortNames: ['quota'], status: true },
  ]),
  // kube gives these no short names; they are in the api-extensions category.
  ...group('admissionregistration.k8s.io', 'v1', [
    {
      kind: 'MutatingWebhookConfiguration',
      plural: 'mutatingwebhookconfigurations',
      categories: API_EXTENSIONS,
      clusterScoped: true,
    },
    {
      kind: 'ValidatingWebhookConfiguration',
      plural: 'validatingwebhookconfigurations',
      categories: API_EXTENSIONS,
      clusterScoped: true,
    },
    {
      kind: 'ValidatingAdmissionPolicy',
      plural: 'validatingadmissionpolicies',
      categories: API_EXTENSIONS,
      clusterScoped: true,
      status: true,
    },
    {
      kind: 'ValidatingAdmissionPolicyBinding',
      plural: 'validatingadmissionpolicybindings',
      categories: API_EXTENSIONS,
      clusterScoped: true,
    },
  ]),
  ...group('apps', 'v1', [
    {
      kind: 'Deployment',
      plural: 'deployments',
      shortNames: ['deploy'],
      categories: ALL,
      status: true,
      scale: true,
    },
    {
      kind: 'ReplicaSet',
      plural: 'replicasets',
      shortNames: ['rs'],
      categories: ALL,
      status: true,
      scale: true,
      fields: ['status.replicas'],
    },
    {
      kind: 'StatefulSet',
      plural: 'statefulsets',
      shortNames: ['sts'],
      categories: ALL,
      status: true,
      scale: true,
    },
    { kind: 'DaemonSet', plural: 'daemonsets', shortNames: ['ds'], categories: ALL, status: true },
  ]),
  ...group('batch', 'v1', [
    { kind: 'Job', plural: 'jobs', categories: ALL, status: true, fields: ['status.successful'] },
    { kind: 'CronJob', plural: 'cronjobs', shortNames: ['cj'], categories: ALL, status: true },
  ]),
  ...group('coordination.k8s.io', 'v1', [{ kind: 'Lease', plural: 'leases' }]),
  ...group('discovery.k8s.io', 'v1', [{ kind: 'EndpointSlice', plural: 'endpointslices' }]),
  ...group('networking.k8s.io', 'v1', [
    { kind: 'Ingress', plural: 'ingresses', shortNames: ['ing'], status: true, etcd: 'ingress' },
    { kind: 'NetworkPolicy', plural: 'networkpolicies', shortNames: ['netpol'] },
    { kind: 'IngressClass', plural: 'ingressclasses', clusterScoped: true },
  ]),
  ...group('node.k8s.io', 'v1', [
    { kind: 'RuntimeClass', plural: 'runtimeclasses', clusterScoped: true },
  ]),
  ...group('policy', 'v1', [
    {
      kind: 'PodDisruptionBudget',
      plural: 'poddisruptionbudgets',
      shortNames: ['pdb'],
      status: true,
    },
  ]),
  ...group('rbac.authorization.k8s.io', 'v1', [
    { kind: 'Role', plural: 'roles' },
    { kind: 'RoleBinding', plural: 'rolebindings' },
    { kind: 'ClusterRole', plural: 'clusterroles', clusterScoped: true },
    { kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', clusterScoped: true },
  ]),
  ...group('scheduling.k8s.io', 'v1', [
    { kind: 'PriorityClass', plural: 'priorityclasses', shortNames: ['pc'], clusterScoped: true },
  ]),
  ...group('storage.k8s.io', 'v1', [
    { kind: 'StorageClass', plural: 'storageclasses', shortNames: ['sc'], clusterScoped: true },
  ]),
];
