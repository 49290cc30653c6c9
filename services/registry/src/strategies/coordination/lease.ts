// Lease strategy (coordination/v1; kube's ValidateLease).
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, invalid } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { isInt, isObject } from '../internal/json.js';

export function leaseStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    validate(lease) {
      const spec = isObject(lease['spec']) ? lease['spec'] : {};
      const errs: FieldError[] = [];
      const d = spec['leaseDurationSeconds'];
      if (d !== undefined && d !== null && (!isInt(d) || d <= 0)) {
        errs.push(invalid('spec.leaseDurationSeconds', d, 'must be greater than 0'));
      }
      const t = spec['leaseTransitions'];
      if (t !== undefined && t !== null && (!isInt(t) || t < 0)) {
        errs.push(invalid('spec.leaseTransitions', t, 'must be greater than or equal to 0'));
      }
      return errs;
    },
  });
}
