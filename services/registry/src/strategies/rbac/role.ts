// Role and ClusterRole (kube's ValidateRole / ValidateClusterRole / ValidatePolicyRule).
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, invalid, required } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, isObject, objects, strings } from '../internal/json.js';
import {
  type LabelSelector,
  NAME_PATH_SEGMENT,
  selectorMatches,
  validateLabelSelector,
} from '../internal/meta.js';
import { child, index } from '../internal/path.js';

export function validatePolicyRule(
  rule: JsonObject,
  namespaced: boolean,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (strings(rule['verbs']).length === 0)
    errs.push(required(child(path, 'verbs'), 'verbs must contain at least one value'));
  const urls = strings(rule['nonResourceURLs']);
  if (urls.length > 0) {
    if (namespaced)
      errs.push(
        invalid(
          child(path, 'nonResourceURLs'),
          urls,
          'namespaced rules cannot apply to non-resource URLs',
        ),
      );
    const resourceParts = ['apiGroups', 'resources', 'resourceNames'].some(
      (f) => strings(rule[f]).length > 0,
    );
    if (resourceParts) {
      errs.push(
        invalid(
          child(path, 'nonResourceURLs'),
          urls,
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    }
    return errs;
  }
  if (strings(rule['apiGroups']).length === 0) {
    errs.push(
      required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'),
    );
  }
  if (strings(rule['resources']).length === 0) {
    errs.push(
      required(child(path, 'resources'), 'resource rules must supply at least one resource'),
    );
  }
  return errs;
}

function validateRules(obj: JsonObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  objects(obj['rules']).forEach((r, i) =>
    errs.push(...validatePolicyRule(r, namespaced, index('rules', i))),
  );
  return errs;
}

function validateAggregationRule(obj: JsonObject): FieldError[] {
  const agg = obj['aggregationRule'];
  if (!isObject(agg)) return [];
  const selectors = objects(agg['clusterRoleSelectors']);
  const p = child('aggregationRule', 'clusterRoleSelectors');
  if (selectors.length === 0)
    return [required(p, 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  const errs: FieldError[] = [];
  selectors.forEach((sel, i) => {
    const sp = index(p, i);
    const selErrs = validateLabelSelector(sel, sp);
    errs.push(...selErrs);
    if (selErrs.length > 0) return;
    try {
      selectorMatches(sel as LabelSelector, {});
    } catch {
      errs.push(invalid(sp, sel, 'invalid label selector.'));
    }
  });
  return errs;
}

export function roleStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    nameRule: NAME_PATH_SEGMENT,
    validate: (r) => validateRules(r, true),
  });
}

export function clusterRoleStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    nameRule: NAME_PATH_SEGMENT,
    validate: (r) => [...validateRules(r, false), ...validateAggregationRule(r)],
  });
}
