// Job strategy (pkg/registry/batch/job): defaults, generated selector and labels from the
// Job's uid on create, selector and template immutability on update.
import { randomUUID } from 'node:crypto';
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type FieldError,
  invalid,
  required,
  validateImmutableField,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import {
  type JsonObject,
  clone,
  ensureObject,
  isInt,
  isObject,
  stringMap,
} from '../internal/json.js';
import {
  type LabelSelector,
  isDNS1123Label,
  selectorMatches,
  validateLabelSelector,
} from '../internal/meta.js';
import { child, key } from '../internal/path.js';
import { canonicalizeTemplate } from '../core/pod-canonical.js';
import { templateWarnings } from '../core/pod-warnings.js';
import {
  SELECTOR_MISMATCH,
  defaultTemplate,
  dnsLabelNameWarning,
  nameOf,
  specOf,
} from '../apps/workload-template.js';
import { defaultJobSpec, validateJobSpecCommon } from './job-spec.js';

export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

export function defaultJob(obj: JsonObject): void {
  const spec = ensureObject(obj, 'spec');
  defaultJobSpec(spec);
  if (spec['manualSelector'] === undefined || spec['manualSelector'] === null)
    spec['manualSelector'] = false;
  copyTemplateLabels(obj);
  defaultTemplate(spec);
}

/** A Job without labels shows its template's labels (SetDefaults_Job). */
function copyTemplateLabels(obj: JsonObject): void {
  const spec = specOf(obj);
  const template = isObject(spec['template']) ? spec['template'] : undefined;
  const tLabels =
    template && isObject(template['metadata']) ? template['metadata']['labels'] : undefined;
  const meta = ensureObject(obj, 'metadata');
  if (isObject(tLabels) && Object.keys(stringMap(meta['labels'])).length === 0)
    meta['labels'] = clone(tLabels);
}

/**
 * Unless spec.manualSelector is true, the selector is generated from the Job's uid and the
 * template gets the job-name and controller-uid labels (kube's generateSelector).
 */
export function generateJobSelector(obj: JsonObject): void {
  const spec = specOf(obj);
  if (spec['manualSelector'] === true) return;
  const meta = ensureObject(obj, 'metadata');
  // kube assigns the uid before PrepareForCreate; if the caller has not, assign it here so
  // the selector and the object agree (the store must then keep this uid).
  if (typeof meta['uid'] !== 'string' || meta['uid'] === '') meta['uid'] = randomUUID();
  const uid = meta['uid'] as string;
  const name = typeof meta['name'] === 'string' ? meta['name'] : '';
  const template = ensureObject(spec, 'template');
  const labels = ensureObject(ensureObject(template, 'metadata'), 'labels');
  for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL])
    if (labels[k] === undefined) labels[k] = name;
  for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL])
    if (labels[k] === undefined) labels[k] = uid;
  const selector = ensureObject(spec, 'selector');
  const matchLabels = ensureObject(selector, 'matchLabels');
  if (matchLabels[CONTROLLER_UID_LABEL] === undefined) matchLabels[CONTROLLER_UID_LABEL] = uid;
}

/** validateGeneratedSelector: with an auto selector, the template must carry the generated labels. */
function validateGeneratedSelector(obj: JsonObject): FieldError[] {
  const spec = specOf(obj);
  if (spec['manualSelector'] === true) return [];
  const meta = isObject(obj['metadata']) ? obj['metadata'] : {};
  const uid = String(meta['uid'] ?? '');
  const name = String(meta['name'] ?? '');
  const template = isObject(spec['template']) ? spec['template'] : {};
  const labels = isObject(template['metadata']) ? stringMap(template['metadata']['labels']) : {};
  const tMeta = child('spec', 'template', 'metadata');
  const errs: FieldError[] = [];
  const hasLabel = (k: string, want: string) => {
    const p = key(child(tMeta, 'labels'), k);
    if (!(k in labels)) errs.push(required(p, want));
    else if (labels[k] !== want) errs.push(invalid(p, labels, `must be '${want}'`));
  };
  hasLabel(LEGACY_CONTROLLER_UID_LABEL, uid);
  hasLabel(LEGACY_JOB_NAME_LABEL, name);
  hasLabel(CONTROLLER_UID_LABEL, uid);
  hasLabel(JOB_NAME_LABEL, name);
  const sel = spec['selector'];
  if (isObject(sel)) {
    try {
      if (!selectorMatches(sel as LabelSelector, { [CONTROLLER_UID_LABEL]: uid })) {
        errs.push(invalid(child('spec', 'selector'), sel, '`selector` not auto-generated'));
      }
    } catch {
      // reported by the selector validation
    }
  }
  return errs;
}

/** ValidateJobSpec: the common rules plus a required selector matching the template. */
export function validateJobSpec(spec: JsonObject, path: string): FieldError[] {
  const errs = validateJobSpecCommon(spec, path);
  const sel = spec['selector'];
  if (sel === undefined || sel === null) errs.push(required(child(path, 'selector'), ''));
  else errs.push(...validateLabelSelector(sel, child(path, 'selector')));
  if (isObject(sel)) {
    const template = isObject(spec['template']) ? spec['template'] : {};
    const labels = isObject(template['metadata']) ? stringMap(template['metadata']['labels']) : {};
    try {
      if (!selectorMatches(sel as LabelSelector, labels)) {
        errs.push(
          invalid(child(path, 'template', 'metadata', 'labels'), labels, SELECTOR_MISMATCH),
        );
      }
    } catch {
      // reported by the selector validation
    }
  }
  return errs;
}

function validateJob(obj: JsonObject): FieldError[] {
  const spec = specOf(obj);
  const errs = [...validateGeneratedSelector(obj), ...validateJobSpec(spec, 'spec')];
  const completions = spec['completions'];
  if (spec['completionMode'] === 'Indexed' && isInt(completions) && completions > 0) {
    // Indexed pods are named <job>-<index>, which must be a DNS label.
    const host = `${nameOf(obj)}-${completions - 1}`;
    if (isDNS1123Label(host).length > 0) {
      errs.push(
        invalid(
          'metadata.name',
          nameOf(obj),
          `will not able to create pod with invalid DNS label: ${host}`,
        ),
      );
    }
  }
  return errs;
}

function validateJobUpdate(obj: JsonObject, old: JsonObject): FieldError[] {
  const spec = specOf(obj);
  const oldSpec = specOf(old);
  const errs = validateJobSpec(spec, 'spec');
  for (const f of [
    'podFailurePolicy',
    'backoffLimitPerIndex',
    'selector',
    'completionMode',
    'podReplacementPolicy',
    'successPolicy',
    'managedBy',
  ]) {
    errs.push(...validateImmutableField(spec[f] ?? null, oldSpec[f] ?? null, child('spec', f)));
  }
  // Completions are immutable, except for Indexed Jobs scaled with parallelism in tandem.
  if (spec['completions'] !== oldSpec['completions']) {
    if (spec['completionMode'] !== 'Indexed') {
      errs.push(
        ...validateImmutableField(
          spec['completions'] ?? null,
          oldSpec['completions'] ?? null,
          'spec.completions',
        ),
      );
    } else if (spec['completions'] !== spec['parallelism']) {
      errs.push(
        invalid(
          'spec.completions',
          spec['completions'] ?? null,
          'can only be modified in tandem with spec.parallelism',
        ),
      );
    }
  }
  // The pod template may only change its scheduling directives while suspended and never started.
  const status = isObject(old['status']) ? old['status'] : {};
  const mutableScheduling = oldSpec['suspend'] === true && status['startTime'] === undefined;
  const oldTemplate = clone(isObject(oldSpec['template']) ? oldSpec['template'] : {});
  const template = isObject(spec['template']) ? spec['template'] : {};
  if (mutableScheduling) {
    const om = ensureObject(oldTemplate, 'metadata');
    const nm = isObject(template['metadata']) ? template['metadata'] : {};
    const os = ensureObject(oldTemplate, 'spec');
    const ns = isObject(template['spec']) ? template['spec'] : {};
    for (const f of ['labels', 'annotations']) assign(om, f, nm[f]);
    for (const f of ['nodeSelector', 'tolerations', 'affinity', 'schedulingGates'])
      assign(os, f, ns[f]);
  }
  errs.push(...validateImmutableField(template, oldTemplate, 'spec.template'));
  return errs;
}

function assign(target: JsonObject, k: string, v: unknown): void {
  if (v === undefined) delete target[k];
  else target[k] = clone(v);
}

export function jobStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    generation: 'spec',
    defaults: defaultJob,
    prepareForCreate(obj) {
      generateJobSelector(obj);
      copyTemplateLabels(obj);
      obj['status'] = {};
    },
    validate: validateJob,
    validateForUpdate: validateJobUpdate,
    warnings: (obj) => [
      ...dnsLabelNameWarning(isDNS1123Label(nameOf(obj))),
      ...templateWarnings(obj),
    ],
    canonicalize: canonicalizeTemplate,
  });
}
