// MutatingWebhookConfiguration and ValidatingWebhookConfiguration strategies
// (admissionregistration.k8s.io/v1; kube's SetDefaults_*Webhook, Validate*WebhookConfiguration
// and their Update forms, whose relaxations keep objects stored by older versions updatable).
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type FieldError,
  duplicate,
  invalid,
  isDNS1035Label,
  isDNS1123Subdomain,
  notSupported,
  required,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { child, index } from '../internal/path.js';
import {
  type JsonObject,
  deepEqual,
  isInt,
  isObject,
  objects,
  setDefault,
  strings,
} from '../internal/json.js';
import {
  FAILURE_POLICIES,
  MATCH_POLICIES,
  defaultRules,
  isSet,
  str,
  validateMatchConditions,
  validateRuleWithOperations,
  validateSelector,
} from './rules.js';
import { validateWebhookService, validateWebhookUrl } from './webhook-url.js';

const ALL_SIDE_EFFECTS = ['None', 'NoneOnDryRun', 'Some', 'Unknown'];
const NO_SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];
const ACCEPTED_REVIEW_VERSIONS = ['v1', 'v1beta1'];

interface Options {
  mutating: boolean;
  ignoreMatchConditions: boolean;
  requireNoSideEffects: boolean;
  requireRecognizedReviewVersion: boolean;
  requireUniqueNames: boolean;
  allowInvalidLabelValueInSelector: boolean;
}

function defaultWebhook(hook: JsonObject, mutating: boolean): void {
  setDefault(hook, 'failurePolicy', 'Fail');
  setDefault(hook, 'matchPolicy', 'Equivalent');
  setDefault(hook, 'namespaceSelector', {});
  setDefault(hook, 'objectSelector', {});
  setDefault(hook, 'timeoutSeconds', 10);
  if (mutating) setDefault(hook, 'reinvocationPolicy', 'Never');
  defaultRules(hook['rules']);
  const cc = hook['clientConfig'];
  if (isObject(cc) && isObject(cc['service'])) setDefault(cc['service'], 'port', 443);
}

/** utilvalidation.IsFullyQualifiedName. */
function validateFullyQualifiedName(name: string, path: string): FieldError[] {
  if (name === '') return [required(path)];
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [invalid(path, name, errs.join(','))];
  if (name.split('.').length < 3) {
    return [
      invalid(path, name, 'should be a domain with at least three segments separated by dots'),
    ];
  }
  return [];
}

function validateClientConfig(cc: JsonObject, path: string): FieldError[] {
  const url = cc['url'];
  const svc = cc['service'];
  if (isSet(url) === isSet(svc)) {
    return [required(path, 'exactly one of url or service is required')];
  }
  if (isSet(url)) return validateWebhookUrl(child(path, 'url'), str(url));
  const s = isObject(svc) ? svc : {};
  return validateWebhookService(
    child(path, 'service'),
    str(s['namespace']),
    str(s['name']),
    typeof s['path'] === 'string' ? s['path'] : undefined,
    isInt(s['port']) ? s['port'] : 0,
  );
}

function validateWebhook(hook: JsonObject, opts: Options, path: string): FieldError[] {
  const errs = validateFullyQualifiedName(str(hook['name']), child(path, 'name'));
  objects(hook['rules']).forEach((r, i) =>
    errs.push(...validateRuleWithOperations(r, index(child(path, 'rules'), i))),
  );
  const fp = hook['failurePolicy'];
  if (isSet(fp) && !FAILURE_POLICIES.includes(fp as string)) {
    errs.push(notSupported(child(path, 'failurePolicy'), fp, FAILURE_POLICIES));
  }
  const mp = hook['matchPolicy'];
  if (isSet(mp) && !MATCH_POLICIES.includes(mp as string)) {
    errs.push(notSupported(child(path, 'matchPolicy'), mp, MATCH_POLICIES));
  }
  const allowed = opts.requireNoSideEffects ? NO_SIDE_EFFECTS : ALL_SIDE_EFFECTS;
  const se = hook['sideEffects'];
  if (!isSet(se)) {
    errs.push(required(child(path, 'sideEffects'), `must specify one of ${allowed.join(', ')}`));
  } else if (!allowed.includes(se as string)) {
    errs.push(notSupported(child(path, 'sideEffects'), se, allowed));
  }
  const t = hook['timeoutSeconds'];
  if (isSet(t) && typeof t === 'number' && (t > 30 || t < 1)) {
    errs.push(
      invalid(
        child(path, 'timeoutSeconds'),
        t,
        'the timeout value must be between 1 and 30 seconds',
      ),
    );
  }
  for (const sel of ['namespaceSelector', 'objectSelector']) {
    errs.push(
      ...validateSelector(hook[sel], child(path, sel), opts.allowInvalidLabelValueInSelector),
    );
  }
  const rp = hook['reinvocationPolicy'];
  if (opts.mutating && isSet(rp) && !REINVOCATION_POLICIES.includes(rp as string)) {
    errs.push(notSupported(child(path, 'reinvocationPolicy'), rp, REINVOCATION_POLICIES));
  }
  errs.push(
    ...validateClientConfig(
      isObject(hook['clientConfig']) ? hook['clientConfig'] : {},
      child(path, 'clientConfig'),
    ),
  );
  if (!opts.ignoreMatchConditions) {
    errs.push(...validateMatchConditions(hook['matchConditions'], child(path, 'matchConditions')));
  }
  return errs;
}

function validateReviewVersions(versions: string[], requireRecognized: boolean, path: string) {
  if (versions.length === 0) {
    return [required(path, `must specify one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}`)];
  }
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let accepted = false;
  versions.forEach((v, i) => {
    if (seen.has(v)) {
      errs.push(invalid(index(path, i), v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const msg of isDNS1035Label(v)) errs.push(invalid(index(path, i), v, msg));
    if (ACCEPTED_REVIEW_VERSIONS.includes(v)) accepted = true;
  });
  if (requireRecognized && !accepted) {
    errs.push(
      invalid(
        path,
        versions,
        `must include at least one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}`,
      ),
    );
  }
  return errs;
}

function validateConfiguration(cfg: JsonObject, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objects(cfg['webhooks']).forEach((hook, i) => {
    const path = index('webhooks', i);
    errs.push(...validateWebhook(hook, opts, path));
    errs.push(
      ...validateReviewVersions(
        strings(hook['admissionReviewVersions']),
        opts.requireRecognizedReviewVersion,
        child(path, 'admissionReviewVersions'),
      ),
    );
    const name = str(hook['name']);
    if (opts.requireUniqueNames && name !== '') {
      if (names.has(name)) errs.push(duplicate(child(path, 'name'), name));
      else names.add(name);
    }
  });
  return errs;
}

const CREATE_OPTIONS = {
  ignoreMatchConditions: false,
  requireNoSideEffects: true,
  requireRecognizedReviewVersion: true,
  requireUniqueNames: true,
  allowInvalidLabelValueInSelector: false,
};

/** The update relaxations kube derives from the stored object. */
function updateOptions(cfg: JsonObject, old: JsonObject, mutating: boolean): Options {
  const hooks = objects(cfg['webhooks']);
  const oldHooks = objects(old['webhooks']);
  const oldNames = oldHooks.map((h) => str(h['name']));
  return {
    mutating,
    ignoreMatchConditions:
      hooks.length === oldHooks.length &&
      oldHooks.every((h, i) => deepEqual(h['matchConditions'], hooks[i]!['matchConditions'])),
    requireNoSideEffects: oldHooks.every((h) =>
      NO_SIDE_EFFECTS.includes(h['sideEffects'] as string),
    ),
    requireRecognizedReviewVersion: oldHooks.every((h) => {
      const v = strings(h['admissionReviewVersions']);
      return v.length === 0 || v.some((x) => ACCEPTED_REVIEW_VERSIONS.includes(x));
    }),
    requireUniqueNames: new Set(oldNames).size === oldNames.length,
    allowInvalidLabelValueInSelector: oldHooks.some((h) =>
      ['namespaceSelector', 'objectSelector'].some(
        (s) => validateSelector(h[s], s, false).length > 0,
      ),
    ),
  };
}

function webhookConfigurationStrategy(def: ResourceDefinition, mutating: boolean): Strategy {
  return buildStrategy(def, {
    // kube bumps generation when the webhooks change; they are all there is besides metadata.
    generation: 'all',
    defaults(cfg) {
      for (const hook of objects(cfg['webhooks'])) defaultWebhook(hook, mutating);
    },
    validate: (cfg) => validateConfiguration(cfg, { mutating, ...CREATE_OPTIONS }),
    validateForUpdate: (cfg, old) => validateConfiguration(cfg, updateOptions(cfg, old, mutating)),
  });
}

export const mutatingWebhookConfigurationStrategy = (def: ResourceDefinition): Strategy =>
  webhookConfigurationStrategy(def, true);

export const validatingWebhookConfigurationStrategy = (def: ResourceDefinition): Strategy =>
  webhookConfigurationStrategy(def, false);
