// What every pod-template-bearing workload shares: selector rules, the template's
// PodSpec defaults, and "selector matches template labels" (kube's apps validation).
import {
  type FieldError,
  forbidden,
  invalid,
  notSupported,
  required,
} from '@splitplane/apimachinery';
import { type JsonObject, isInt, isObject, stringMap } from '../internal/json.js';
import {
  type LabelSelector,
  selectorIsEmpty,
  selectorMatches,
  validateLabelSelector,
} from '../internal/meta.js';
import { child } from '../internal/path.js';
import { defaultPodSpec } from '../core/pod-defaults.js';
import { validatePodTemplateSpec } from '../core/pod-spec-validation.js';

export function specOf(obj: JsonObject): JsonObject {
  return isObject(obj['spec']) ? obj['spec'] : {};
}

export function templateOf(spec: JsonObject): JsonObject | undefined {
  return isObject(spec['template']) ? spec['template'] : undefined;
}

export function templateLabels(template: JsonObject | undefined): Record<string, string> {
  return template && isObject(template['metadata'])
    ? stringMap(template['metadata']['labels'])
    : {};
}

/** Applies PodSpec defaults to spec.template.spec (SetDefaults_PodSpec runs on templates too). */
export function defaultTemplate(spec: JsonObject): void {
  const template = templateOf(spec);
  if (template && isObject(template['spec'])) defaultPodSpec(template['spec']);
}

export function validateNonnegativeField(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  return isInt(v) && v >= 0 ? [] : [invalid(path, v, 'must be greater than or equal to 0')];
}

/**
 * spec.selector: required, a valid LabelSelector and non-empty. `kindWord` is the word
 * kube puts in "empty selector is invalid for <kind>" (ReplicaSet says "deployment").
 */
export function validateWorkloadSelector(
  spec: JsonObject,
  path: string,
  kindWord: string,
): FieldError[] {
  const sel = spec['selector'];
  if (sel === undefined || sel === null) return [required(child(path, 'selector'), '')];
  const errs = validateLabelSelector(sel, child(path, 'selector'));
  if (selectorIsEmpty(sel as LabelSelector)) {
    errs.push(invalid(child(path, 'selector'), sel, `empty selector is invalid for ${kindWord}`));
  }
  return errs;
}

/** Whether the (present) selector selects the template's labels; an empty or absent selector matches. */
export function selectorMatchesTemplate(spec: JsonObject): boolean {
  const sel = spec['selector'];
  if (!isObject(sel) || selectorIsEmpty(sel as LabelSelector)) return true;
  try {
    return selectorMatches(sel as LabelSelector, templateLabels(templateOf(spec)));
  } catch {
    // An invalid selector is reported by validateWorkloadSelector.
    return true;
  }
}

export const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

/**
 * ValidatePodTemplateSpecForReplicaSet: selector match, the full pod template, and
 * restartPolicy Always without activeDeadlineSeconds (`owner` names the kind in messages).
 */
export function validateTemplateForController(
  spec: JsonObject,
  path: string,
  owner: string,
): FieldError[] {
  const tPath = child(path, 'template');
  const template = templateOf(spec);
  if (!template) return [required(tPath, '')];
  const errs: FieldError[] = [];
  if (!selectorMatchesTemplate(spec)) {
    errs.push(
      invalid(child(tPath, 'metadata', 'labels'), templateLabels(template), SELECTOR_MISMATCH),
    );
  }
  errs.push(...validatePodTemplateSpec(template, tPath));
  errs.push(...validateAlwaysRestart(template, tPath, owner));
  return errs;
}

export function validateAlwaysRestart(
  template: JsonObject,
  tPath: string,
  owner: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const ps = isObject(template['spec']) ? template['spec'] : {};
  if (ps['restartPolicy'] !== 'Always') {
    errs.push(
      notSupported(child(tPath, 'spec', 'restartPolicy'), ps['restartPolicy'] ?? '', ['Always']),
    );
  }
  if (ps['activeDeadlineSeconds'] !== undefined && ps['activeDeadlineSeconds'] !== null) {
    errs.push(
      forbidden(
        child(tPath, 'spec', 'activeDeadlineSeconds'),
        `activeDeadlineSeconds in ${owner} is not Supported`,
      ),
    );
  }
  return errs;
}

/** The metadata.name warning kube gives workloads whose names are not DNS labels. */
export function dnsLabelNameWarning(msgs: string[]): string[] {
  return msgs.length
    ? [
        `metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`,
      ]
    : [];
}

export function nameOf(obj: JsonObject): string {
  const meta = obj['metadata'];
  return isObject(meta) && typeof meta['name'] === 'string' ? meta['name'] : '';
}
