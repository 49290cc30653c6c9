// ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding strategies
// (admissionregistration.k8s.io/v1; kube's SetDefaults_ValidatingAdmissionPolicySpec,
// SetDefaults_MatchResources and ValidateValidatingAdmissionPolicy*/Binding*), CEL
// expressions compiled with admission's compiler.
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type FieldError,
  duplicate,
  forbidden,
  invalid,
  isDNS1035Label,
  isDNS1123Subdomain,
  isQualifiedName,
  nameIsDNSSubdomain,
  notSupported,
  required,
  validatePathSegmentName,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { child, index } from '../internal/path.js';
import {
  type JsonObject,
  deepEqual,
  ensureObject,
  isObject,
  objects,
  setDefault,
  strings,
} from '../internal/json.js';
import {
  FAILURE_POLICIES,
  defaultMatchResources,
  isSet,
  str,
  validateMatchConditions,
  validateMatchResources,
  validateSelector,
} from './rules.js';
import { BOOL, STRING, STRING_OR_NULL, celErrors } from './cel-check.js';

const MAX_AUDIT_ANNOTATIONS = 20;
const MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH = 5 * 1024;
const REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge'];
const VALIDATION_ACTIONS = ['Audit', 'Deny', 'Warn'];
const CEL_IDENT = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
const CEL_RESERVED = new Set(
  'true false null in as break const continue else for function if import let loop package namespace return var void while'.split(
    ' ',
  ),
);

const specOf = (o: JsonObject): JsonObject => (isObject(o['spec']) ? o['spec'] : {});

function validateParamKind(pk: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const apiVersion = str(pk['apiVersion']);
  const p = child(path, 'apiVersion');
  if (apiVersion === '') errs.push(required(p));
  else if ((apiVersion.match(/\//g) ?? []).length > 1) {
    errs.push(invalid(p, apiVersion, `unexpected GroupVersion string: ${apiVersion}`));
  } else if (apiVersion !== '/') {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    if (group !== '') {
      const e = isDNS1123Subdomain(group);
      if (e.length > 0) errs.push(invalid(p, group, e.join(',')));
    }
    if (version === '') errs.push(invalid(p, apiVersion, 'version must be specified'));
    else {
      const e = isDNS1035Label(version);
      if (e.length > 0) errs.push(invalid(p, version, e.join(',')));
    }
  }
  const kind = str(pk['kind']);
  if (kind === '') errs.push(required(child(path, 'kind')));
  else {
    const e = isDNS1035Label(kind.toLowerCase());
    if (e.length > 0) {
      errs.push(
        invalid(
          child(path, 'kind'),
          kind,
          `may have mixed case, but should otherwise match: ${e.join(',')}`,
        ),
      );
    }
  }
  return errs;
}

function validateValidation(v: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const expression = str(v['expression']);
  const message = str(v['message']);
  const messageExpression = str(v['messageExpression']);
  if (expression.trim() === '') {
    errs.push(required(child(path, 'expression'), 'expression is not specified'));
  } else errs.push(...celErrors(expression, child(path, 'expression'), BOOL));
  if (messageExpression.length > 0 && messageExpression.trim() === '') {
    errs.push(
      invalid(
        child(path, 'messageExpression'),
        messageExpression,
        'must be non-empty if specified',
      ),
    );
  } else if (messageExpression.trim() !== '') {
    errs.push(...celErrors(messageExpression, child(path, 'messageExpression'), STRING));
  }
  if (message.length > 0 && message.trim() === '') {
    errs.push(invalid(child(path, 'message'), message, 'message must be non-empty if specified'));
  } else if (/[\n\r]/.test(message.trim())) {
    errs.push(invalid(child(path, 'message'), message, 'message must not contain line breaks'));
  }
  const reason = v['reason'];
  if (isSet(reason) && !REASONS.includes(reason as string)) {
    errs.push(notSupported(child(path, 'reason'), reason, REASONS));
  }
  return errs;
}

function validateVariable(v: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(v['name']);
  if (name.trim() === '') errs.push(required(child(path, 'name'), 'name is not specified'));
  else if (!CEL_IDENT.test(name) || CEL_RESERVED.has(name)) {
    errs.push(invalid(child(path, 'name'), name, 'name is not a valid CEL identifier'));
  }
  const expression = str(v['expression']);
  if (expression.trim() === '') {
    errs.push(required(child(path, 'expression'), 'expression is not specified'));
  } else errs.push(...celErrors(expression, child(path, 'expression')));
  return errs;
}

function validateAuditAnnotation(policyName: string, a: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const k = str(a['key']);
  if (policyName !== '') {
    const full = `${policyName}/${k}`;
    for (const msg of isQualifiedName(full)) errs.push(invalid(child(path, 'key'), full, msg));
  } else {
    errs.push(invalid(child(path, 'key'), k, 'requires metadata.name be non-empty'));
  }
  const ve = str(a['valueExpression']).trim();
  if (ve === '') {
    errs.push(required(child(path, 'valueExpression'), 'valueExpression is not specified'));
  } else if (Buffer.byteLength(ve) > MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH) {
    errs.push(
      required(
        child(path, 'valueExpression'),
        `must not exceed ${MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH} bytes in length`,
      ),
    );
  } else {
    errs.push(...celErrors(ve, child(path, 'valueExpression'), STRING_OR_NULL));
  }
  return errs;
}

function validatePolicy(p: JsonObject, ignoreMatchConditions: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const spec = specOf(p);
  const path = 'spec';
  const fp = spec['failurePolicy'];
  if (!isSet(fp)) errs.push(required(child(path, 'failurePolicy')));
  else if (!FAILURE_POLICIES.includes(fp as string)) {
    errs.push(notSupported(child(path, 'failurePolicy'), fp, FAILURE_POLICIES));
  }
  if (isObject(spec['paramKind']))
    errs.push(...validateParamKind(spec['paramKind'], child(path, 'paramKind')));
  const mc = spec['matchConstraints'];
  if (!isObject(mc)) errs.push(required(child(path, 'matchConstraints')));
  else {
    errs.push(...validateMatchResources(mc, child(path, 'matchConstraints')));
    // At least one resource rule gives the policy its type information.
    if (objects(mc['resourceRules']).length === 0) {
      errs.push(required(child(path, 'matchConstraints', 'resourceRules')));
    }
  }
  if (!ignoreMatchConditions) {
    errs.push(...validateMatchConditions(spec['matchConditions'], child(path, 'matchConditions')));
  }
  objects(spec['variables']).forEach((v, i) =>
    errs.push(...validateVariable(v, index(child(path, 'variables'), i))),
  );
  const validations = objects(spec['validations']);
  const annotations = objects(spec['auditAnnotations']);
  if (validations.length === 0 && annotations.length === 0) {
    const msg = 'validations or auditAnnotations must contain at least one item';
    errs.push(
      required(child(path, 'validations'), msg),
      required(child(path, 'auditAnnotations'), msg),
    );
    return errs;
  }
  validations.forEach((v, i) =>
    errs.push(...validateValidation(v, index(child(path, 'validations'), i))),
  );
  if (annotations.length > MAX_AUDIT_ANNOTATIONS) {
    errs.push(
      invalid(
        child(path, 'auditAnnotations'),
        annotations,
        `must not have more than ${MAX_AUDIT_ANNOTATIONS} auditAnnotations`,
      ),
    );
  }
  const policyName = str(isObject(p['metadata']) ? p['metadata']['name'] : undefined);
  const keys = new Set<string>();
  annotations.forEach((a, i) => {
    const ap = index(child(path, 'auditAnnotations'), i);
    errs.push(...validateAuditAnnotation(policyName, a, ap));
    const k = str(a['key']);
    if (keys.has(k)) errs.push(duplicate(child(ap, 'key'), k));
    keys.add(k);
  });
  return errs;
}

function validatePolicyStatus(p: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = isObject(p['status']) ? p['status'] : {};
  const tc = status['typeChecking'];
  if (!isObject(tc)) return errs;
  objects(tc['expressionWarnings']).forEach((w, i) => {
    const path = index('status.typeChecking.expressionWarnings', i);
    if (str(w['warning']) === '') errs.push(required(child(path, 'warning')));
    if (str(w['fieldRef']).trim() === '') errs.push(required(child(path, 'fieldRef')));
  });
  return errs;
}

export function validatingAdmissionPolicyStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    generation: 'spec',
    defaults(p) {
      // spec is a struct in Go: always there, so always defaulted.
      const spec = ensureObject(p, 'spec');
      setDefault(spec, 'failurePolicy', 'Fail');
      defaultMatchResources(spec['matchConstraints']);
    },
    validate: (p) => validatePolicy(p, false),
    validateForUpdate(p, old) {
      const spec = specOf(p);
      const oldSpec = specOf(old);
      // Unchanged match conditions (and paramKind) stay valid even if rules tightened since.
      const ignore =
        deepEqual(spec['paramKind'], oldSpec['paramKind']) &&
        deepEqual(spec['matchConditions'], oldSpec['matchConditions']);
      return validatePolicy(p, ignore);
    },
    validateStatus: (p) => validatePolicyStatus(p),
  });
}

function validateParamRef(pr: unknown, path: string): FieldError[] {
  if (!isObject(pr)) return [];
  const errs: FieldError[] = [];
  const name = str(pr['name']);
  const hasSelector = isSet(pr['selector']);
  if (name !== '') {
    for (const msg of validatePathSegmentName(name, false))
      errs.push(invalid(child(path, 'name'), name, msg));
    if (hasSelector)
      errs.push(forbidden(child(path, 'name'), 'name and selector are mutually exclusive'));
  }
  if (hasSelector) {
    errs.push(...validateSelector(pr['selector'], child(path, 'selector')));
    if (name !== '')
      errs.push(forbidden(child(path, 'selector'), 'name and selector are mutually exclusive'));
  }
  if (name === '' && !hasSelector)
    errs.push(required(path, 'one of name or selector must be specified'));
  const action = pr['parameterNotFoundAction'];
  if (!isSet(action) || action === '') errs.push(required(child(path, 'parameterNotFoundAction')));
  else if (action !== 'Deny' && action !== 'Allow') {
    errs.push(notSupported(child(path, 'parameterNotFoundAction'), action, ['Deny', 'Allow']));
  }
  return errs;
}

function validateValidationActions(actions: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (!VALIDATION_ACTIONS.includes(a))
      errs.push(notSupported(index(path, i), a, VALIDATION_ACTIONS));
    if (seen.has(a)) errs.push(duplicate(index(path, i), a));
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn')) {
    errs.push(
      invalid(
        path,
        actions,
        'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
      ),
    );
  }
  if (seen.size === 0) errs.push(required(path, 'at least one validation action is required'));
  return errs;
}

function validateBinding(b: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = specOf(b);
  const policyName = str(spec['policyName']);
  if (policyName === '') errs.push(required('spec.policyName'));
  else {
    for (const msg of nameIsDNSSubdomain(policyName, false)) {
      errs.push(invalid('spec.policyName', policyName, msg));
    }
  }
  errs.push(...validateParamRef(spec['paramRef'], 'spec.paramRef'));
  // "matchResouces": kube's field path carries this spelling.
  errs.push(...validateMatchResources(spec['matchResources'], 'spec.matchResouces'));
  errs.push(
    ...validateValidationActions(strings(spec['validationActions']), 'spec.validationActions'),
  );
  return errs;
}

export function validatingAdmissionPolicyBindingStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    generation: 'spec',
    defaults(b) {
      defaultMatchResources(ensureObject(b, 'spec')['matchResources']);
    },
    validate: validateBinding,
  });
}
