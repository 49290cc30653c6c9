// Pieces shared by the admissionregistration.k8s.io/v1 kinds (kube's
// pkg/apis/admissionregistration/validation and v1 defaults): rules, match conditions,
// match resources, label selectors.
import {
  type FieldError,
  duplicate,
  invalid,
  isQualifiedName,
  notSupported,
  required,
  tooMany,
  validateLabelSelector as sharedValidateLabelSelector,
  validatePathSegmentName,
} from '@splitplane/apimachinery';
import { child, index } from '../internal/path.js';
import { type JsonObject, isObject, objects, setDefault, strings } from '../internal/json.js';
import { BOOL, celErrors } from './cel-check.js';

export const FAILURE_POLICIES = ['Fail', 'Ignore'];
export const MATCH_POLICIES = ['Equivalent', 'Exact'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];

export const isSet = (v: unknown): boolean => v !== undefined && v !== null;
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** SetDefaults_Rule on every rule of a list (RuleWithOperations and NamedRuleWithOperations embed Rule). */
export function defaultRules(rules: unknown): void {
  for (const r of objects(rules)) setDefault(r, 'scope', '*');
}

/** SetDefaults_MatchResources. */
export function defaultMatchResources(mr: unknown): void {
  if (!isObject(mr)) return;
  setDefault(mr, 'matchPolicy', 'Equivalent');
  setDefault(mr, 'namespaceSelector', {});
  setDefault(mr, 'objectSelector', {});
  defaultRules(mr['resourceRules']);
  defaultRules(mr['excludeResourceRules']);
}

export function validateSelector(sel: unknown, path: string, allowInvalidValues = false) {
  if (!isObject(sel)) return [];
  // Go's decoder refuses wrongly-typed selectors before validation; here they arrive as JSON,
  // so report them instead of handing the shared validator something it cannot walk.
  const shapeErrs = selectorShapeErrors(sel, path);
  if (shapeErrs.length > 0) return shapeErrs;
  return sharedValidateLabelSelector(
    sel as never,
    { allowInvalidLabelValueInSelector: allowInvalidValues },
    path,
  );
}

const isStringArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');

function selectorShapeErrors(sel: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const labels = sel['matchLabels'];
  if (
    isSet(labels) &&
    (!isObject(labels) || !Object.values(labels).every((v) => typeof v === 'string'))
  ) {
    errs.push(invalid(child(path, 'matchLabels'), labels, 'must be a map of strings'));
  }
  const exprs = sel['matchExpressions'];
  if (!isSet(exprs)) return errs;
  if (!Array.isArray(exprs)) {
    return [...errs, invalid(child(path, 'matchExpressions'), exprs, 'must be a list')];
  }
  exprs.forEach((e: unknown, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    if (!isObject(e)) errs.push(invalid(p, e, 'must be an object'));
    else {
      if (typeof e['key'] !== 'string')
        errs.push(invalid(child(p, 'key'), e['key'], 'must be a string'));
      if (typeof e['operator'] !== 'string') {
        errs.push(invalid(child(p, 'operator'), e['operator'], 'must be a string'));
      }
      if (isSet(e['values']) && !isStringArray(e['values'])) {
        errs.push(invalid(child(p, 'values'), e['values'], 'must be a list of strings'));
      }
    }
  });
  return errs;
}

const hasWildcard = (list: string[]) => list.includes('*');

function validateResources(resources: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (resources.length === 0) errs.push(required(path));
  const resWithWildcardSub = new Set<string>();
  const subWithWildcardRes = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let withoutSub = false;
  resources.forEach((rs, i) => {
    if (rs === '') {
      errs.push(required(index(path, i)));
      return;
    }
    if (rs === '*/*') doubleWildcard = true;
    if (rs === '*') singleWildcard = true;
    const slash = rs.indexOf('/');
    if (slash < 0) {
      withoutSub = rs !== '*';
      return;
    }
    const res = rs.slice(0, slash);
    const sub = rs.slice(slash + 1);
    if (resWithWildcardSub.has(res)) {
      errs.push(invalid(index(path, i), rs, `if '${res}/*' is present, must not specify ${rs}`));
    }
    if (subWithWildcardRes.has(sub)) {
      errs.push(invalid(index(path, i), rs, `if '*/${sub}' is present, must not specify ${rs}`));
    }
    if (sub === '*') resWithWildcardSub.add(res);
    if (res === '*') subWithWildcardRes.add(sub);
  });
  if (resources.length > 1 && doubleWildcard) {
    errs.push(invalid(path, resources, "if '*/*' is present, must not specify other resources"));
  }
  if (singleWildcard && withoutSub) {
    errs.push(
      invalid(
        path,
        resources,
        "if '*' is present, must not specify other resources without subresources",
      ),
    );
  }
  return errs;
}

function validateRule(rule: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const groups = strings(rule['apiGroups']);
  const versions = strings(rule['apiVersions']);
  if (groups.length === 0) errs.push(required(child(path, 'apiGroups')));
  if (groups.length > 1 && hasWildcard(groups)) {
    errs.push(
      invalid(
        child(path, 'apiGroups'),
        groups,
        "if '*' is present, must not specify other API groups",
      ),
    );
  }
  if (versions.length === 0) errs.push(required(child(path, 'apiVersions')));
  if (versions.length > 1 && hasWildcard(versions)) {
    errs.push(
      invalid(
        child(path, 'apiVersions'),
        versions,
        "if '*' is present, must not specify other API versions",
      ),
    );
  }
  versions.forEach((v, i) => {
    if (v === '') errs.push(required(index(child(path, 'apiVersions'), i)));
  });
  errs.push(...validateResources(strings(rule['resources']), child(path, 'resources')));
  if (isSet(rule['scope']) && !SCOPES.includes(rule['scope'] as string)) {
    errs.push(notSupported(child(path, 'scope'), rule['scope'], SCOPES));
  }
  return errs;
}

export function validateRuleWithOperations(rule: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ops = strings(rule['operations']);
  if (ops.length === 0) errs.push(required(child(path, 'operations')));
  if (ops.length > 1 && hasWildcard(ops)) {
    errs.push(
      invalid(
        child(path, 'operations'),
        ops,
        "if '*' is present, must not specify other operations",
      ),
    );
  }
  ops.forEach((op, i) => {
    if (!OPERATIONS.includes(op)) {
      errs.push(notSupported(index(child(path, 'operations'), i), op, OPERATIONS));
    }
  });
  errs.push(...validateRule(rule, path));
  return errs;
}

function validateNamedRule(rule: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  strings(rule['resourceNames']).forEach((n, i) => {
    const p = index(child(path, 'resourceNames'), i);
    for (const msg of validatePathSegmentName(n, false)) errs.push(invalid(p, n, msg));
    if (seen.has(n)) errs.push(duplicate(p, n));
    else seen.add(n);
  });
  errs.push(...validateRuleWithOperations(rule, path));
  return errs;
}

/** validateMatchResources: nothing for an absent one. */
export function validateMatchResources(mr: unknown, path: string): FieldError[] {
  if (!isObject(mr)) return [];
  const errs: FieldError[] = [];
  const policy = mr['matchPolicy'];
  if (!isSet(policy)) errs.push(required(child(path, 'matchPolicy')));
  else if (!MATCH_POLICIES.includes(policy as string)) {
    errs.push(notSupported(child(path, 'matchPolicy'), policy, MATCH_POLICIES));
  }
  for (const sel of ['namespaceSelector', 'objectSelector']) {
    if (!isSet(mr[sel])) errs.push(required(child(path, sel)));
    else errs.push(...validateSelector(mr[sel], child(path, sel)));
  }
  objects(mr['resourceRules']).forEach((r, i) =>
    errs.push(...validateNamedRule(r, index(child(path, 'resourceRules'), i))),
  );
  objects(mr['excludeResourceRules']).forEach((r, i) =>
    errs.push(...validateNamedRule(r, index(child(path, 'excludeResourceRules'), i))),
  );
  return errs;
}

/** validateMatchConditions: names, and expressions that compile to bool. */
export function validateMatchConditions(conditions: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = objects(conditions);
  if (list.length > 64) errs.push(tooMany(path, list.length, 64));
  const names = new Set<string>();
  list.forEach((mc, i) => {
    const p = index(path, i);
    const expression = str(mc['expression']).trim();
    if (expression === '') errs.push(required(child(p, 'expression')));
    else errs.push(...celErrors(expression, child(p, 'expression'), BOOL));
    const name = str(mc['name']);
    if (name === '') errs.push(required(child(p, 'name')));
    else for (const msg of isQualifiedName(name)) errs.push(invalid(child(p, 'name'), name, msg));
    if (name !== '') {
      if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
      else names.add(name);
    }
  });
  return errs;
}
