// Status rules of the apps workloads (kube's Validate{Deployment,ReplicaSet,StatefulSet,
// DaemonSet}Status): counters are non-negative, never exceed status.replicas, and
// collisionCount never goes down.
import { type FieldError, invalid } from '@splitplane/apimachinery';
import { type JsonObject, isInt, isObject } from '../internal/json.js';
import { child } from '../internal/path.js';
import { validateNonnegativeField } from './workload-template.js';

function statusOf(obj: JsonObject): JsonObject {
  return isObject(obj['status']) ? obj['status'] : {};
}

const num = (s: JsonObject, f: string): number => (isInt(s[f]) ? s[f] : 0);

/**
 * `counters` are checked to be non-negative; `boundedByReplicas` may not exceed
 * status.replicas; availableReplicas may not exceed readyReplicas (`readyMsg`).
 */
export function validateReplicaStatus(
  obj: JsonObject,
  old: JsonObject,
  counters: string[],
  boundedByReplicas: string[],
  readyMsg: string | undefined,
): FieldError[] {
  const status = statusOf(obj);
  const errs: FieldError[] = [];
  for (const f of counters) errs.push(...validateNonnegativeField(status[f], child('status', f)));
  for (const f of boundedByReplicas) {
    if (num(status, f) > num(status, 'replicas'))
      errs.push(
        invalid(child('status', f), num(status, f), 'cannot be greater than status.replicas'),
      );
  }
  if (readyMsg && num(status, 'availableReplicas') > num(status, 'readyReplicas')) {
    errs.push(invalid('status.availableReplicas', num(status, 'availableReplicas'), readyMsg));
  }
  const cc = status['collisionCount'];
  const oldCC = statusOf(old)['collisionCount'];
  if (isInt(oldCC) && (!isInt(cc) || cc < oldCC)) {
    errs.push(invalid('status.collisionCount', isInt(cc) ? cc : 0, 'cannot be decremented'));
  }
  return errs;
}

export const validateDeploymentStatus = (obj: JsonObject, old: JsonObject) =>
  validateReplicaStatus(
    obj,
    old,
    [
      'observedGeneration',
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
      'collisionCount',
    ],
    ['updatedReplicas', 'readyReplicas', 'availableReplicas'],
    'cannot be greater than readyReplicas',
  );

export const validateReplicaSetStatus = (obj: JsonObject, old: JsonObject) =>
  validateReplicaStatus(
    obj,
    old,
    [
      'replicas',
      'fullyLabeledReplicas',
      'readyReplicas',
      'availableReplicas',
      'observedGeneration',
    ],
    ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
    'cannot be greater than readyReplicas',
  );

export const validateStatefulSetStatus = (obj: JsonObject, old: JsonObject) =>
  validateReplicaStatus(
    obj,
    old,
    [
      'replicas',
      'readyReplicas',
      'currentReplicas',
      'updatedReplicas',
      'availableReplicas',
      'observedGeneration',
      'collisionCount',
    ],
    ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'],
    'cannot be greater than status.readyReplicas',
  );

export const validateDaemonSetStatus = (obj: JsonObject, old: JsonObject) =>
  validateReplicaStatus(
    obj,
    old,
    [
      'currentNumberScheduled',
      'numberMisscheduled',
      'desiredNumberScheduled',
      'numberReady',
      'observedGeneration',
      'updatedNumberScheduled',
      'numberAvailable',
      'numberUnavailable',
      'collisionCount',
    ],
    [],
    undefined,
  );
