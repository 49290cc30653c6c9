// Deployment strategy (pkg/registry/apps/deployment + apps/v1 defaults + apps validation).
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type FieldError,
  forbidden,
  invalid,
  notSupported,
  required,
  validateImmutableField,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { validateDeploymentStatus } from './status-validation.js';
import { type JsonObject, ensureObject, isInt, isObject, setDefault } from '../internal/json.js';
import { isDNS1123Label } from '../internal/meta.js';
import { child } from '../internal/path.js';
import { canonicalizeTemplate } from '../core/pod-canonical.js';
import { templateWarnings } from '../core/pod-warnings.js';
import {
  intOrPercentValue,
  isNotMoreThan100Percent,
  validatePositiveIntOrPercent,
} from './int-or-percent.js';
import {
  defaultTemplate,
  dnsLabelNameWarning,
  nameOf,
  specOf,
  validateNonnegativeField,
  validateTemplateForController,
  validateWorkloadSelector,
} from './workload-template.js';

export function defaultDeployment(obj: JsonObject): void {
  const spec = ensureObject(obj, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = ensureObject(spec, 'strategy');
  if (strategy['type'] === undefined || strategy['type'] === '') strategy['type'] = 'RollingUpdate';
  if (strategy['type'] === 'RollingUpdate') {
    const ru = ensureObject(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultTemplate(spec);
}

export function validateDeploymentSpec(obj: JsonObject): FieldError[] {
  const spec = specOf(obj);
  const path = 'spec';
  const errs = validateNonnegativeField(spec['replicas'], child(path, 'replicas'));
  errs.push(...validateWorkloadSelector(spec, path, 'deployment'));
  errs.push(...validateTemplateForController(spec, path, 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(spec['strategy'], child(path, 'strategy')));
  errs.push(...validateNonnegativeField(spec['minReadySeconds'], child(path, 'minReadySeconds')));
  errs.push(
    ...validateNonnegativeField(spec['revisionHistoryLimit'], child(path, 'revisionHistoryLimit')),
  );
  const pds = spec['progressDeadlineSeconds'];
  if (pds !== undefined && pds !== null) {
    errs.push(...validateNonnegativeField(pds, child(path, 'progressDeadlineSeconds')));
    const minReady = isInt(spec['minReadySeconds']) ? spec['minReadySeconds'] : 0;
    if (isInt(pds) && pds <= minReady) {
      errs.push(
        invalid(
          child(path, 'progressDeadlineSeconds'),
          pds,
          'must be greater than minReadySeconds',
        ),
      );
    }
  }
  return errs;
}

function validateDeploymentStrategy(strategy: unknown, path: string): FieldError[] {
  const s = isObject(strategy) ? strategy : {};
  switch (s['type']) {
    case 'Recreate':
      return s['rollingUpdate'] !== undefined && s['rollingUpdate'] !== null
        ? [
            forbidden(
              child(path, 'rollingUpdate'),
              "may not be specified when strategy `type` is 'Recreate'",
            ),
          ]
        : [];
    case 'RollingUpdate': {
      const ru = s['rollingUpdate'];
      if (!isObject(ru))
        return [
          required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil'),
        ];
      const p = child(path, 'rollingUpdate');
      const errs = [
        ...validatePositiveIntOrPercent(ru['maxUnavailable'], child(p, 'maxUnavailable')),
        ...validatePositiveIntOrPercent(ru['maxSurge'], child(p, 'maxSurge')),
      ];
      if (
        intOrPercentValue(ru['maxUnavailable']) === 0 &&
        intOrPercentValue(ru['maxSurge']) === 0
      ) {
        errs.push(
          invalid(
            child(p, 'maxUnavailable'),
            ru['maxUnavailable'] ?? 0,
            'may not be 0 when `maxSurge` is 0',
          ),
        );
      }
      errs.push(...isNotMoreThan100Percent(ru['maxUnavailable'], child(p, 'maxUnavailable')));
      return errs;
    }
    default:
      return [notSupported(path, s, ['Recreate', 'RollingUpdate'])];
  }
}

export function deploymentStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    generation: 'spec+annotations',
    defaults: defaultDeployment,
    prepareForCreate: (obj) => {
      obj['status'] = {};
    },
    validate: validateDeploymentSpec,
    validateUpdate: (obj, old) =>
      validateImmutableField(specOf(obj)['selector'], specOf(old)['selector'], 'spec.selector'),
    warnings: (obj) => [
      ...dnsLabelNameWarning(isDNS1123Label(nameOf(obj))),
      ...templateWarnings(obj),
    ],
    validateStatus: validateDeploymentStatus,
    canonicalize: canonicalizeTemplate,
  });
}
