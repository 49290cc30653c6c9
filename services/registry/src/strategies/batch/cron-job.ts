// CronJob strategy (pkg/registry/batch/cronjob + batch/v1 defaults + batch validation).
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, invalid, notSupported, required } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, ensureObject, isObject, setDefault } from '../internal/json.js';
import { child } from '../internal/path.js';
import { canonicalizePodSpec } from '../core/pod-canonical.js';
import { defaultPodSpec } from '../core/pod-defaults.js';
import { podSpecWarnings } from '../core/pod-warnings.js';
import { nameOf, specOf, validateNonnegativeField } from '../apps/workload-template.js';
import { CronScheduleError, isKnownTimeZone, parseCronSchedule } from './cron-schedule.js';
import { validateJobSpecCommon } from './job-spec.js';

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;
/** Job names get an 11-character `-<timestamp>` suffix and must stay within 63. */
const MAX_CRONJOB_NAME = 52;

function jobTemplateSpec(obj: JsonObject): JsonObject | undefined {
  const jt = specOf(obj)['jobTemplate'];
  return isObject(jt) && isObject(jt['spec']) ? jt['spec'] : undefined;
}

function podSpecOf(obj: JsonObject): JsonObject | undefined {
  const js = jobTemplateSpec(obj);
  const t = js && isObject(js['template']) ? js['template'] : undefined;
  return t && isObject(t['spec']) ? t['spec'] : undefined;
}

export function defaultCronJob(obj: JsonObject): void {
  const spec = ensureObject(obj, 'spec');
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  const ps = podSpecOf(obj);
  if (ps) defaultPodSpec(ps);
}

export function validateSchedule(
  schedule: string,
  path: string,
  allowTZ: boolean,
  timeZone: unknown,
): FieldError[] {
  const errs: FieldError[] = [];
  try {
    parseCronSchedule(schedule);
  } catch (err) {
    if (!(err instanceof CronScheduleError)) throw err;
    errs.push(invalid(path, schedule, err.message));
  }
  if (allowTZ && schedule.includes('TZ') && timeZone !== undefined && timeZone !== null) {
    errs.push(
      invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'),
    );
  } else if (!allowTZ && schedule.includes('TZ')) {
    errs.push(
      invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'),
    );
  }
  return errs;
}

export function validateTimeZone(tz: unknown, path: string): FieldError[] {
  if (tz === undefined || tz === null) return [];
  if (typeof tz !== 'string' || tz === '')
    return [invalid(path, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part)) {
      return [invalid(path, tz, `unknown time zone ${tz}`)];
    }
  }
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local') {
    errs.push(
      invalid(
        path,
        tz,
        'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      ),
    );
  }
  if (!isKnownTimeZone(tz)) errs.push(invalid(path, tz, `unknown time zone ${tz}`));
  return errs;
}

function validateCronJobSpec(obj: JsonObject, old: JsonObject | undefined): FieldError[] {
  const spec = specOf(obj);
  const oldSpec = old ? specOf(old) : undefined;
  const path = 'spec';
  const errs: FieldError[] = [];
  const schedule = spec['schedule'];
  if (typeof schedule !== 'string' || schedule === '')
    errs.push(required(child(path, 'schedule'), ''));
  else {
    const allowTZ = typeof oldSpec?.['schedule'] === 'string' && oldSpec['schedule'].includes('TZ');
    errs.push(...validateSchedule(schedule, child(path, 'schedule'), allowTZ, spec['timeZone']));
  }
  errs.push(
    ...validateNonnegativeField(
      spec['startingDeadlineSeconds'],
      child(path, 'startingDeadlineSeconds'),
    ),
  );
  if (!oldSpec || oldSpec['timeZone'] !== spec['timeZone'])
    errs.push(...validateTimeZone(spec['timeZone'], child(path, 'timeZone')));
  const cp = spec['concurrencyPolicy'];
  if (cp === undefined || cp === null || cp === '')
    errs.push(required(child(path, 'concurrencyPolicy'), ''));
  else if (!CONCURRENCY_POLICIES.includes(String(cp)))
    errs.push(notSupported(child(path, 'concurrencyPolicy'), cp, CONCURRENCY_POLICIES));
  errs.push(...validateJobTemplate(spec['jobTemplate'], child(path, 'jobTemplate')));
  errs.push(
    ...validateNonnegativeField(
      spec['successfulJobsHistoryLimit'],
      child(path, 'successfulJobsHistoryLimit'),
    ),
  );
  errs.push(
    ...validateNonnegativeField(
      spec['failedJobsHistoryLimit'],
      child(path, 'failedJobsHistoryLimit'),
    ),
  );
  return errs;
}

/** ValidateJobTemplateSpec: a JobSpec whose selector is always generated. */
function validateJobTemplate(jt: unknown, path: string): FieldError[] {
  const js = isObject(jt) && isObject(jt['spec']) ? jt['spec'] : {};
  const sPath = child(path, 'spec');
  const errs = validateJobSpecCommon(js, sPath);
  if (js['selector'] !== undefined && js['selector'] !== null) {
    errs.push(
      invalid(child(sPath, 'selector'), js['selector'], '`selector` will be auto-generated'),
    );
  }
  if (js['manualSelector'] === true)
    errs.push(notSupported(child(sPath, 'manualSelector'), true, ['nil', 'false']));
  return errs;
}

export function cronJobStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    generation: 'spec',
    defaults: defaultCronJob,
    prepareForCreate: (obj) => {
      obj['status'] = {};
    },
    validate(obj) {
      const errs = validateCronJobSpec(obj, undefined);
      const name = nameOf(obj);
      if (name.length > MAX_CRONJOB_NAME) {
        errs.push(
          invalid('metadata.name', name, `must be no more than ${MAX_CRONJOB_NAME} characters`),
        );
      }
      return errs;
    },
    validateForUpdate: (obj, old) => validateCronJobSpec(obj, old),
    warnings(obj) {
      const out: string[] = [];
      const schedule = specOf(obj)['schedule'];
      // kube nudges users away from `?`, which cron treats like `*`.
      if (typeof schedule === 'string' && schedule.includes('?')) {
        out.push(
          `spec.schedule: "${schedule}" contains '?', which is not standard syntax. Use '*' instead`,
        );
      }
      out.push(...podSpecWarnings(podSpecOf(obj), 'spec.jobTemplate.spec.template.spec'));
      return out;
    },
    canonicalize: (obj) => canonicalizePodSpec(podSpecOf(obj)),
  });
}
