// DaemonSet strategy (pkg/registry/apps/daemonset + apps/v1 defaults + apps validation).
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type FieldError,
  invalid,
  notSupported,
  required,
  validateImmutableField,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { validateDaemonSetStatus } from './status-validation.js';
import {
  type JsonObject,
  deepEqual,
  ensureObject,
  isObject,
  setDefault,
} from '../internal/json.js';
import {
  type LabelSelector,
  selectorIsEmpty,
  selectorMatches,
  validateLabelSelector,
} from '../internal/meta.js';
import { child } from '../internal/path.js';
import { canonicalizeTemplate } from '../core/pod-canonical.js';
import { validatePodTemplateSpec } from '../core/pod-spec-validation.js';
import { templateWarnings } from '../core/pod-warnings.js';
import {
  intOrPercentValue,
  isNotMoreThan100Percent,
  validatePositiveIntOrPercent,
} from './int-or-percent.js';
import {
  SELECTOR_MISMATCH,
  defaultTemplate,
  specOf,
  templateLabels,
  templateOf,
  validateAlwaysRestart,
  validateNonnegativeField,
} from './workload-template.js';

export function defaultDaemonSet(obj: JsonObject): void {
  const spec = ensureObject(obj, 'spec');
  const strategy = ensureObject(spec, 'updateStrategy');
  if (strategy['type'] === undefined || strategy['type'] === '') strategy['type'] = 'RollingUpdate';
  if (strategy['type'] === 'RollingUpdate') {
    const ru = ensureObject(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultTemplate(spec);
}

export function validateDaemonSetSpec(obj: JsonObject): FieldError[] {
  const spec = specOf(obj);
  const path = 'spec';
  const sel = spec['selector'];
  const errs = validateLabelSelector(sel ?? undefined, child(path, 'selector'));
  const template = templateOf(spec) ?? {};
  // A missing selector selects nothing, so it never matches the template (as in kube).
  let matches = false;
  if (isObject(sel)) {
    try {
      matches = selectorMatches(sel as LabelSelector, templateLabels(template));
    } catch {
      matches = true; // invalid selectors are reported above
    }
  }
  if (!matches)
    errs.push(
      invalid(
        child(path, 'template', 'metadata', 'labels'),
        templateLabels(template),
        SELECTOR_MISMATCH,
      ),
    );
  if (isObject(sel) && selectorIsEmpty(sel as LabelSelector)) {
    errs.push(invalid(child(path, 'selector'), sel, 'empty selector is invalid for daemonset'));
  }
  errs.push(...validatePodTemplateSpec(template, child(path, 'template')));
  errs.push(...validateAlwaysRestart(template, child(path, 'template'), 'DaemonSet'));
  errs.push(...validateNonnegativeField(spec['minReadySeconds'], child(path, 'minReadySeconds')));
  errs.push(...validateUpdateStrategy(spec['updateStrategy'], child(path, 'updateStrategy')));
  errs.push(
    ...validateNonnegativeField(spec['revisionHistoryLimit'], child(path, 'revisionHistoryLimit')),
  );
  return errs;
}

function validateUpdateStrategy(strategy: unknown, path: string): FieldError[] {
  const s = isObject(strategy) ? strategy : {};
  switch (s['type']) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      const ru = s['rollingUpdate'];
      if (!isObject(ru)) return [required(child(path, 'rollingUpdate'), '')];
      const p = child(path, 'rollingUpdate');
      const errs = [
        ...validatePositiveIntOrPercent(ru['maxUnavailable'], child(p, 'maxUnavailable')),
        ...validatePositiveIntOrPercent(ru['maxSurge'], child(p, 'maxSurge')),
        ...isNotMoreThan100Percent(ru['maxUnavailable'], child(p, 'maxUnavailable')),
        ...isNotMoreThan100Percent(ru['maxSurge'], child(p, 'maxSurge')),
      ];
      const hasUnavailable = intOrPercentValue(ru['maxUnavailable']) !== 0;
      const hasSurge = intOrPercentValue(ru['maxSurge']) !== 0;
      if (hasUnavailable && hasSurge) {
        errs.push(
          invalid(
            child(p, 'maxSurge'),
            ru['maxSurge'],
            'may not be set when maxUnavailable is non-zero',
          ),
        );
      } else if (!hasUnavailable && !hasSurge) {
        errs.push(required(child(p, 'maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
      }
      return errs;
    }
    default:
      return [notSupported(path, s, ['RollingUpdate', 'OnDelete'])];
  }
}

const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

function annotations(obj: JsonObject): Record<string, string> {
  const meta = ensureObject(obj, 'metadata');
  return ensureObject(meta, 'annotations') as Record<string, string>;
}

export function daemonSetStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    generation: 'spec',
    defaults: defaultDaemonSet,
    prepareForCreate: (obj) => {
      obj['status'] = {
        currentNumberScheduled: 0,
        numberMisscheduled: 0,
        desiredNumberScheduled: 0,
        numberReady: 0,
      };
      annotations(obj)[TEMPLATE_GENERATION] = '1';
    },
    prepareForUpdate(obj, old) {
      // The internal spec.templateGeneration surfaces in apps/v1 as this annotation and
      // follows template changes.
      const oldRaw = annotations(old)[TEMPLATE_GENERATION];
      const changed = !deepEqual(specOf(obj)['template'], specOf(old)['template']);
      if (oldRaw === undefined && !changed) return;
      const oldGen = Number(oldRaw ?? '0') || 0;
      annotations(obj)[TEMPLATE_GENERATION] = String(changed ? oldGen + 1 : oldGen);
    },
    validate: validateDaemonSetSpec,
    validateUpdate: (obj, old) =>
      validateImmutableField(specOf(obj)['selector'], specOf(old)['selector'], 'spec.selector'),
    warnings: (obj) => templateWarnings(obj),
    validateStatus: validateDaemonSetStatus,
    canonicalize: canonicalizeTemplate,
  });
}
