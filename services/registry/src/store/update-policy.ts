// Per-kind update policies of kube's strategies that the generic store consults.
import type { ResourceDefinition } from '@splitplane/scheme';

/** Kinds whose strategy answers AllowCreateOnUpdate() true in kube-apiserver. */
const CREATE_ON_UPDATE = new Set([
  '/Endpoints',
  '/LimitRange',
  '/Event',
  'events.k8s.io/Event',
  'coordination.k8s.io/Lease',
]);

export function allowCreateOnUpdate(def: ResourceDefinition): boolean {
  return CREATE_ON_UPDATE.has(`${def.group}/${def.kind}`);
}

/** Built-in kinds whose strategy answers AllowUnconditionalUpdate() false in kube-apiserver. */
const NO_UNCONDITIONAL_UPDATE = new Set([
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
]);

/**
 * AllowUnconditionalUpdate(): true for nearly every built-in kind; custom resources and the
 * admission configuration kinds require a resourceVersion on update.
 */
export function allowUnconditionalUpdate(def: ResourceDefinition): boolean {
  if (!def.openapiName.startsWith('io.k8s.')) return false;
  return !NO_UNCONDITIONAL_UPDATE.has(`${def.group}/${def.kind}`);
}
