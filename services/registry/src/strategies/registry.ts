// Which strategy each built-in kind uses; anything else gets the generic one.
import type { ResourceDefinition } from '@splitplane/scheme';
import type { Strategy, StrategyFactory } from './strategy.js';
import { genericStrategy } from './generic.js';
import { configMapStrategy } from './core/config-map.js';
import { endpointsStrategy } from './core/endpoints.js';
import { eventStrategy } from './core/event.js';
import { namespaceStrategy } from './core/namespace.js';
import { nodeStrategy } from './core/node.js';
import { pvcStrategy } from './core/persistent-volume-claim.js';
import { podStrategy } from './core/pod.js';
import { limitRangeStrategy, resourceQuotaStrategy } from './core/quota.js';
import { secretStrategy } from './core/secret.js';
import { serviceAccountStrategy } from './core/service-account.js';
import { serviceStrategy } from './core/service.js';
import { daemonSetStrategy } from './apps/daemon-set.js';
import { deploymentStrategy } from './apps/deployment.js';
import { replicaSetStrategy } from './apps/replica-set.js';
import { statefulSetStrategy } from './apps/stateful-set.js';
import { cronJobStrategy } from './batch/cron-job.js';
import { jobStrategy } from './batch/job.js';
import {
  mutatingWebhookConfigurationStrategy,
  validatingWebhookConfigurationStrategy,
} from './admissionregistration/webhook-configuration.js';
import {
  validatingAdmissionPolicyBindingStrategy,
  validatingAdmissionPolicyStrategy,
} from './admissionregistration/validating-admission-policy.js';
import { leaseStrategy } from './coordination/lease.js';
import { endpointSliceStrategy } from './discovery/endpoint-slice.js';
import { ingressStrategy } from './networking/ingress.js';
import { ingressClassStrategy } from './networking/ingress-class.js';
import { networkPolicyStrategy } from './networking/network-policy.js';
import { runtimeClassStrategy } from './node/runtime-class.js';
import { podDisruptionBudgetStrategy } from './policy/pod-disruption-budget.js';
import { clusterRoleBindingStrategy, roleBindingStrategy } from './rbac/binding.js';
import { clusterRoleStrategy, roleStrategy } from './rbac/role.js';
import { priorityClassStrategy } from './scheduling/priority-class.js';
import { storageClassStrategy } from './storage/storage-class.js';

/** Keyed by "<group>/<Kind>" ("" group for core). */
const FACTORIES: Record<string, StrategyFactory> = {
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': mutatingWebhookConfigurationStrategy,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration':
    validatingWebhookConfigurationStrategy,
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': validatingAdmissionPolicyStrategy,
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding':
    validatingAdmissionPolicyBindingStrategy,
  '/Namespace': namespaceStrategy,
  '/ConfigMap': configMapStrategy,
  '/Secret': secretStrategy,
  '/ServiceAccount': serviceAccountStrategy,
  '/Service': serviceStrategy,
  '/Endpoints': endpointsStrategy,
  '/Pod': podStrategy,
  '/Event': eventStrategy,
  '/Node': nodeStrategy,
  '/PersistentVolumeClaim': pvcStrategy,
  '/LimitRange': limitRangeStrategy,
  '/ResourceQuota': resourceQuotaStrategy,
  'apps/Deployment': deploymentStrategy,
  'apps/ReplicaSet': replicaSetStrategy,
  'apps/StatefulSet': statefulSetStrategy,
  'apps/DaemonSet': daemonSetStrategy,
  'batch/Job': jobStrategy,
  'batch/CronJob': cronJobStrategy,
  'coordination.k8s.io/Lease': leaseStrategy,
  'discovery.k8s.io/EndpointSlice': endpointSliceStrategy,
  'networking.k8s.io/Ingress': ingressStrategy,
  'networking.k8s.io/NetworkPolicy': networkPolicyStrategy,
  'networking.k8s.io/IngressClass': ingressClassStrategy,
  'node.k8s.io/RuntimeClass': runtimeClassStrategy,
  'policy/PodDisruptionBudget': podDisruptionBudgetStrategy,
  'rbac.authorization.k8s.io/Role': roleStrategy,
  'rbac.authorization.k8s.io/RoleBinding': roleBindingStrategy,
  'rbac.authorization.k8s.io/ClusterRole': clusterRoleStrategy,
  'rbac.authorization.k8s.io/ClusterRoleBinding': clusterRoleBindingStrategy,
  'scheduling.k8s.io/PriorityClass': priorityClassStrategy,
  'storage.k8s.io/StorageClass': storageClassStrategy,
};

const cache = new WeakMap<ResourceDefinition, Strategy>();

/** The strategy for a resource; strategies are stateless, so one per definition is kept. */
export function strategyFor(def: ResourceDefinition): Strategy {
  let s = cache.get(def);
  if (!s) {
    s = (FACTORIES[`${def.group}/${def.kind}`] ?? genericStrategy)(def);
    cache.set(def, s);
  }
  return s;
}

/** Whether a kind has a dedicated strategy (the rest use the generic one). */
export function hasSpecificStrategy(def: Pick<ResourceDefinition, 'group' | 'kind'>): boolean {
  return `${def.group}/${def.kind}` in FACTORIES;
}
