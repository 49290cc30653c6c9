// PodDisruptionBudget strategy (policy/v1; kube's ValidatePodDisruptionBudget).
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, invalid, notSupported } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, isObject } from '../internal/json.js';
import { validateLabelSelector } from '../internal/meta.js';
import { child } from '../internal/path.js';
import { isNotMoreThan100Percent, validatePositiveIntOrPercent } from '../apps/int-or-percent.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

function validatePDBSpec(pdb: JsonObject): FieldError[] {
  const spec = isObject(pdb['spec']) ? pdb['spec'] : {};
  const path = 'spec';
  const errs: FieldError[] = [];
  const set = (v: unknown) => v !== undefined && v !== null;
  if (set(spec['minAvailable']) && set(spec['maxUnavailable'])) {
    errs.push(invalid(path, spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (!set(spec[f])) continue;
    errs.push(...validatePositiveIntOrPercent(spec[f], child(path, f)));
    errs.push(...isNotMoreThan100Percent(spec[f], child(path, f)));
  }
  if (set(spec['selector']))
    errs.push(...validateLabelSelector(spec['selector'], child(path, 'selector')));
  const policy = spec['unhealthyPodEvictionPolicy'];
  if (set(policy) && !EVICTION_POLICIES.includes(String(policy))) {
    errs.push(notSupported(child(path, 'unhealthyPodEvictionPolicy'), policy, EVICTION_POLICIES));
  }
  return errs;
}

export function podDisruptionBudgetStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    generation: 'spec',
    prepareForCreate(pdb) {
      pdb['status'] = {
        disruptionsAllowed: 0,
        currentHealthy: 0,
        desiredHealthy: 0,
        expectedPods: 0,
      };
    },
    validate: validatePDBSpec,
  });
}
