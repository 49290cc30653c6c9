// Pod strategy (kube's pkg/registry/core/pod/strategy.go): defaults, Pending status with
// QoS class on create, spec mostly immutable on update, graceful delete by default.
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, forbidden, invalid } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, clone, deepEqual, isInt, isObject, objects } from '../internal/json.js';
import { child } from '../internal/path.js';
import { defaultPod } from './pod-defaults.js';
import { canonicalizePodSpec } from './pod-canonical.js';
import { validatePodSpec } from './pod-spec-validation.js';
import { podQOSClass } from './pod-qos.js';
import { podWarnings } from './pod-warnings.js';

const MAX_INT32 = 2147483647;

export const UPDATABLE_POD_SPEC_FIELDS =
  '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,' +
  '`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export function podStrategy(def: ResourceDefinition): Strategy {
  // No generation: pods only track it from 1.33 on (PodObservedGenerationTracking), and
  // splitplane reports 1.32.
  return buildStrategy(def, {
    defaults: defaultPod,
    prepareForCreate(pod) {
      const spec = isObject(pod['spec']) ? pod['spec'] : {};
      const status: JsonObject = { phase: 'Pending', qosClass: podQOSClass(spec) };
      if (objects(spec['schedulingGates']).length > 0) {
        status['conditions'] = [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'SchedulingGated',
            message: 'Scheduling is blocked due to non-empty scheduling gates',
            lastProbeTime: null,
            lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          },
        ];
      }
      pod['status'] = status;
    },
    prepareForUpdate(pod, old) {
      // Ephemeral containers change only through their own subresource.
      const spec = pod['spec'];
      const oldSpec = old['spec'];
      if (isObject(spec) && isObject(oldSpec)) {
        if (oldSpec['ephemeralContainers'] === undefined) delete spec['ephemeralContainers'];
        else spec['ephemeralContainers'] = clone(oldSpec['ephemeralContainers']);
      }
    },
    validate: (pod) => validatePodSpec(pod['spec'], 'spec'),
    validateUpdate: validatePodSpecUpdate,
    warnings: podWarnings,
    canonicalize: (pod) => canonicalizePodSpec(pod['spec']),
    defaultGracePeriodSeconds(pod) {
      const spec = isObject(pod['spec']) ? pod['spec'] : {};
      const phase = isObject(pod['status']) ? pod['status']['phase'] : undefined;
      // Unscheduled and finished pods have nothing running to stop: delete at once.
      if (!spec['nodeName'] || phase === 'Succeeded' || phase === 'Failed') return 0;
      const grace = spec['terminationGracePeriodSeconds'];
      if (!isInt(grace)) return 30;
      return grace < 0 ? 1 : grace;
    },
  });
}

/** kube's ValidatePodUpdate: only images, activeDeadlineSeconds and added tolerations may change. */
export function validatePodSpecUpdate(pod: JsonObject, old: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = isObject(pod['spec']) ? pod['spec'] : {};
  const oldSpec = isObject(old['spec']) ? old['spec'] : {};
  const specPath = 'spec';

  const deadline = spec['activeDeadlineSeconds'];
  const oldDeadline = oldSpec['activeDeadlineSeconds'];
  if (isInt(deadline)) {
    if (deadline < 0 || deadline > MAX_INT32) {
      errs.push(
        invalid(
          child(specPath, 'activeDeadlineSeconds'),
          deadline,
          `must be between 0 and ${MAX_INT32}, inclusive`,
        ),
      );
    }
    if (isInt(oldDeadline) && oldDeadline < deadline) {
      errs.push(
        invalid(
          child(specPath, 'activeDeadlineSeconds'),
          deadline,
          'must be less than or equal to previous value',
        ),
      );
    }
  } else if (isInt(oldDeadline)) {
    errs.push(
      invalid(
        child(specPath, 'activeDeadlineSeconds'),
        null,
        'must not update from a positive integer to nil value',
      ),
    );
  }

  // Munge the mutable fields of the new spec to the old values; anything left must match.
  const munged = clone(spec);
  for (const list of ['containers', 'initContainers']) {
    const now = objects(munged[list]);
    const before = objects(oldSpec[list]);
    if (now.length === before.length) now.forEach((c, i) => (c['image'] = before[i]!['image']));
  }
  munged['activeDeadlineSeconds'] = oldSpec['activeDeadlineSeconds'];
  const grace = oldSpec['terminationGracePeriodSeconds'];
  if (isInt(grace) && grace < 0 && spec['terminationGracePeriodSeconds'] === 1)
    munged['terminationGracePeriodSeconds'] = grace;
  const tolErrs = validateOnlyAddedTolerations(
    spec['tolerations'],
    oldSpec['tolerations'],
    child(specPath, 'tolerations'),
  );
  errs.push(...tolErrs);
  munged['tolerations'] = oldSpec['tolerations'];
  // Scheduling gates may be removed, and node selectors added while the pod is gated.
  if (objects(oldSpec['schedulingGates']).length > 0) {
    munged['schedulingGates'] = oldSpec['schedulingGates'];
    munged['nodeSelector'] = oldSpec['nodeSelector'];
    munged['affinity'] = oldSpec['affinity'];
  }
  for (const k of Object.keys(munged)) if (munged[k] === undefined) delete munged[k];
  if (!deepEqual(munged, oldSpec)) {
    errs.push(
      forbidden(
        specPath,
        `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS}`,
      ),
    );
  }
  return errs;
}

function validateOnlyAddedTolerations(now: unknown, before: unknown, path: string): FieldError[] {
  const current = objects(now);
  for (const old of objects(before)) {
    const found = current.some((t) => {
      const { tolerationSeconds: a, ...restNew } = t;
      const { tolerationSeconds: b, ...restOld } = old;
      if (!deepEqual(restNew, restOld)) return false;
      // NoExecute tolerationSeconds may be shortened, never lengthened or dropped.
      if (old['effect'] === 'NoExecute' && isInt(b)) return isInt(a) && a <= b;
      return deepEqual(a, b);
    });
    if (!found)
      return [
        forbidden(path, 'existing toleration can not be modified except its tolerationSeconds'),
      ];
  }
  return [];
}
