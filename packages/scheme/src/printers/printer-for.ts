// Chooses the table printer for a resource: the definition's own printer (CRDs with
// additionalPrinterColumns), else kube's printer for the built-in kind, else the default.
import type { Printer, ResourceDefinition } from '../resource-definition.js';
import {
  clusterRoleBindingPrinter,
  endpointSlicePrinter,
  ingressPrinter,
  leasePrinter,
  networkPolicyPrinter,
  podDisruptionBudgetPrinter,
  roleBindingPrinter,
} from './cluster.js';
import {
  configMapPrinter,
  endpointsPrinter,
  eventPrinter,
  namespacePrinter,
  nodePrinter,
  persistentVolumeClaimPrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './core.js';
import {
  ingressClassPrinter,
  priorityClassPrinter,
  runtimeClassPrinter,
  storageClassPrinter,
} from './classes.js';
import {
  mutatingWebhookConfigurationPrinter,
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter,
  validatingWebhookConfigurationPrinter,
} from './admission.js';
import { defaultPrinter } from './default-printer.js';
import { podPrinter } from './pod.js';
import {
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './workloads.js';

/** Keyed by "<group>/<Kind>" ("" group for core); the printers apply to every version. */
export const BUILTIN_PRINTERS: ReadonlyMap<string, Printer> = new Map<string, Printer>([
  ['/Pod', podPrinter],
  ['/Service', servicePrinter],
  ['/ConfigMap', configMapPrinter],
  ['/Secret', secretPrinter],
  ['/ServiceAccount', serviceAccountPrinter],
  ['/Namespace', namespacePrinter],
  ['/Node', nodePrinter],
  ['/Event', eventPrinter],
  ['/Endpoints', endpointsPrinter],
  ['/PersistentVolumeClaim', persistentVolumeClaimPrinter],
  ['/ResourceQuota', resourceQuotaPrinter],
  [
    'admissionregistration.k8s.io/MutatingWebhookConfiguration',
    mutatingWebhookConfigurationPrinter,
  ],
  [
    'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
    validatingWebhookConfigurationPrinter,
  ],
  ['admissionregistration.k8s.io/ValidatingAdmissionPolicy', validatingAdmissionPolicyPrinter],
  [
    'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
    validatingAdmissionPolicyBindingPrinter,
  ],
  ['apps/Deployment', deploymentPrinter],
  ['apps/ReplicaSet', replicaSetPrinter],
  ['apps/StatefulSet', statefulSetPrinter],
  ['apps/DaemonSet', daemonSetPrinter],
  ['batch/Job', jobPrinter],
  ['batch/CronJob', cronJobPrinter],
  ['coordination.k8s.io/Lease', leasePrinter],
  ['discovery.k8s.io/EndpointSlice', endpointSlicePrinter],
  ['networking.k8s.io/Ingress', ingressPrinter],
  ['networking.k8s.io/NetworkPolicy', networkPolicyPrinter],
  ['networking.k8s.io/IngressClass', ingressClassPrinter],
  ['node.k8s.io/RuntimeClass', runtimeClassPrinter],
  ['policy/PodDisruptionBudget', podDisruptionBudgetPrinter],
  ['rbac.authorization.k8s.io/RoleBinding', roleBindingPrinter],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', clusterRoleBindingPrinter],
  ['scheduling.k8s.io/PriorityClass', priorityClassPrinter],
  ['storage.k8s.io/StorageClass', storageClassPrinter],
]);

export function printerFor(def: Pick<ResourceDefinition, 'group' | 'kind' | 'printer'>): Printer {
  return def.printer ?? BUILTIN_PRINTERS.get(`${def.group}/${def.kind}`) ?? defaultPrinter;
}
