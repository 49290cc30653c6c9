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

/**
 * AllowUnconditionalUpdate(): true for every built-in kind; custom resources require a
 * resourceVersion on update.
 */
export function allowUnconditionalUpdate(def: ResourceDefinition): boolean {
  return !def.openapiName.startsWith('io.k8s.') ? false : true;
}
