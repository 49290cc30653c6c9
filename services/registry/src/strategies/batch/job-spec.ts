// JobSpec defaults and validation shared by Job and CronJob's jobTemplate
// (kube's batch/v1 SetDefaults_Job and batch validation's validateJobSpec).
import { type FieldError, invalid, notSupported, required } from '@splitplane/apimachinery';
import { type JsonObject, isInt, isObject, objects } from '../internal/json.js';
import { child, index } from '../internal/path.js';
import { validatePodTemplateSpec } from '../core/pod-spec-validation.js';
import { validateNonnegativeField } from '../apps/workload-template.js';

const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const POD_REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];
const MAX_PARALLELISM_INDEXED = 100000;
const MAX_INT32 = 2147483647;

/** SetDefaults_Job's JobSpec part. */
export function defaultJobSpec(spec: JsonObject): void {
  if (spec['completions'] === undefined && spec['parallelism'] === undefined) {
    spec['completions'] = 1;
    spec['parallelism'] = 1;
  }
  if (spec['parallelism'] === undefined || spec['parallelism'] === null) spec['parallelism'] = 1;
  if (spec['backoffLimit'] === undefined || spec['backoffLimit'] === null) {
    spec['backoffLimit'] =
      spec['backoffLimitPerIndex'] !== undefined && spec['backoffLimitPerIndex'] !== null
        ? MAX_INT32
        : 6;
  }
  if (spec['completionMode'] === undefined || spec['completionMode'] === null)
    spec['completionMode'] = 'NonIndexed';
  if (spec['suspend'] === undefined || spec['suspend'] === null) spec['suspend'] = false;
  const pfp = spec['podFailurePolicy'];
  if (isObject(pfp)) {
    for (const rule of objects(pfp['rules'])) {
      for (const cond of objects(rule['onPodConditions'])) {
        if (cond['status'] === undefined || cond['status'] === '') cond['status'] = 'True';
      }
    }
  }
  if (spec['podReplacementPolicy'] === undefined || spec['podReplacementPolicy'] === null) {
    spec['podReplacementPolicy'] = isObject(pfp) ? 'Failed' : 'TerminatingOrFailed';
  }
}

/** validateJobSpec: everything but the selector rules. */
export function validateJobSpecCommon(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
  ]) {
    errs.push(...validateNonnegativeField(spec[f], child(path, f)));
  }
  const mode = spec['completionMode'];
  const indexed = mode === 'Indexed';
  if (mode !== undefined && mode !== null) {
    if (!COMPLETION_MODES.includes(String(mode)))
      errs.push(notSupported(child(path, 'completionMode'), mode, COMPLETION_MODES));
    if (indexed) {
      if (spec['completions'] === undefined || spec['completions'] === null) {
        errs.push(required(child(path, 'completions'), 'when completion mode is Indexed'));
      }
      const par = spec['parallelism'];
      if (isInt(par) && par > MAX_PARALLELISM_INDEXED) {
        errs.push(
          invalid(
            child(path, 'parallelism'),
            par,
            `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`,
          ),
        );
      }
    }
  }
  for (const f of ['backoffLimitPerIndex', 'maxFailedIndexes']) {
    const v = spec[f];
    if (v === undefined || v === null) continue;
    errs.push(...validateNonnegativeField(v, child(path, f)));
    if (!indexed) errs.push(invalid(child(path, f), v, 'requires indexed completion mode'));
  }
  const prp = spec['podReplacementPolicy'];
  if (prp !== undefined && prp !== null) {
    if (isObject(spec['podFailurePolicy'])) {
      if (prp !== 'Failed')
        errs.push(notSupported(child(path, 'podReplacementPolicy'), prp, ['Failed']));
    } else if (!POD_REPLACEMENT_POLICIES.includes(String(prp))) {
      errs.push(notSupported(child(path, 'podReplacementPolicy'), prp, POD_REPLACEMENT_POLICIES));
    }
  }
  errs.push(...validatePodFailurePolicy(spec['podFailurePolicy'], child(path, 'podFailurePolicy')));
  const tPath = child(path, 'template');
  errs.push(...validatePodTemplateSpec(spec['template'], tPath));
  const template = isObject(spec['template']) ? spec['template'] : {};
  const ps = isObject(template['spec']) ? template['spec'] : {};
  const rp = ps['restartPolicy'];
  if (rp !== 'OnFailure' && rp !== 'Never') {
    errs.push(
      notSupported(child(tPath, 'spec', 'restartPolicy'), rp ?? '', ['OnFailure', 'Never']),
    );
  } else if (rp === 'OnFailure' && isObject(spec['podFailurePolicy'])) {
    errs.push(
      invalid(
        child(tPath, 'spec', 'restartPolicy'),
        rp,
        'only "Never" is supported when podFailurePolicy is specified',
      ),
    );
  }
  return errs;
}

const PFP_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const PFP_OPERATORS = ['In', 'NotIn'];

function validatePodFailurePolicy(pfp: unknown, path: string): FieldError[] {
  if (!isObject(pfp)) return [];
  const errs: FieldError[] = [];
  objects(pfp['rules']).forEach((rule, i) => {
    const p = index(child(path, 'rules'), i);
    if (!PFP_ACTIONS.includes(String(rule['action'])))
      errs.push(notSupported(child(p, 'action'), rule['action'] ?? '', PFP_ACTIONS));
    const exit = rule['onExitCodes'];
    const conds = rule['onPodConditions'];
    const hasExit = isObject(exit);
    const hasConds = Array.isArray(conds) && conds.length > 0;
    if (hasExit && hasConds) {
      errs.push(
        invalid(p, rule, 'specifying both OnExitCodes and OnPodConditions is not supported'),
      );
    } else if (!hasExit && !hasConds) {
      errs.push(invalid(p, rule, 'specifying one of OnExitCodes and OnPodConditions is required'));
    }
    if (hasExit && !PFP_OPERATORS.includes(String(exit['operator']))) {
      errs.push(
        notSupported(child(p, 'onExitCodes', 'operator'), exit['operator'] ?? '', PFP_OPERATORS),
      );
    }
  });
  return errs;
}
