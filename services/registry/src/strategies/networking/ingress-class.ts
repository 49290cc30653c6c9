// IngressClass strategy (networking.k8s.io/v1; kube's ValidateIngressClass,
// ValidateIngressClassUpdate and SetDefaults_IngressClass).
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  type FieldError,
  forbidden,
  invalid,
  notSupported,
  regexError,
  required,
  tooLong,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, isObject } from '../internal/json.js';
import { NAME_DNS_LABEL, NAME_PATH_SEGMENT, each, isDNS1123Subdomain } from '../internal/meta.js';
import { child } from '../internal/path.js';

const MAX_CONTROLLER_LENGTH = 250;
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = new RegExp(`^${HTTP_PATH_FMT}$`);
const SCOPES = ['Cluster', 'Namespace'];

/** kube's IsDomainPrefixedPath: "acme.io/foo". */
function validateDomainPrefixedPath(path: string, value: string): FieldError[] {
  if (value === '') return [required(path, '')];
  const slash = value.indexOf('/');
  const host = slash < 0 ? '' : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (host === '' || rest === '') {
    return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const errs = each(path, host, isDNS1123Subdomain(host));
  if (!HTTP_PATH_RE.test(rest)) {
    errs.push(invalid(path, rest, regexError('must be a valid path', HTTP_PATH_FMT)));
  }
  return errs;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function validateParameters(params: unknown, path: string): FieldError[] {
  if (!isObject(params)) return [];
  const errs: FieldError[] = [];
  if (typeof params['apiGroup'] === 'string') {
    const g = params['apiGroup'];
    errs.push(...each(child(path, 'apiGroup'), g, isDNS1123Subdomain(g)));
  }
  for (const f of ['kind', 'name'] as const) {
    const v = str(params[f]);
    if (v === '') errs.push(required(child(path, f), `${f} is required`));
    else errs.push(...each(child(path, f), v, NAME_PATH_SEGMENT(v, false)));
  }
  const scope = params['scope'];
  if (scope === undefined || scope === null) {
    errs.push(required(child(path, 'scope'), ''));
    return errs;
  }
  if (!SCOPES.includes(scope as string)) {
    errs.push(notSupported(child(path, 'scope'), scope, SCOPES));
    return errs;
  }
  const ns = params['namespace'];
  const hasNs = ns !== undefined && ns !== null;
  if (scope === 'Namespace') {
    if (!hasNs) {
      errs.push(required(child(path, 'namespace'), "`parameters.scope` is set to 'Namespace'"));
    } else {
      errs.push(...each(child(path, 'namespace'), ns, NAME_DNS_LABEL(str(ns), false)));
    }
  }
  if (scope === 'Cluster' && hasNs) {
    errs.push(forbidden(child(path, 'namespace'), "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

function validateSpec(ic: JsonObject): FieldError[] {
  const spec = isObject(ic['spec']) ? ic['spec'] : {};
  const controller = str(spec['controller']);
  const errs: FieldError[] = [];
  if (controller.length > MAX_CONTROLLER_LENGTH) {
    errs.push(tooLong('spec.controller', MAX_CONTROLLER_LENGTH));
  }
  errs.push(...validateDomainPrefixedPath('spec.controller', controller));
  errs.push(...validateParameters(spec['parameters'], 'spec.parameters'));
  return errs;
}

export const validateIngressClass = validateSpec;

export function validateIngressClassUpdate(ic: JsonObject, old: JsonObject): FieldError[] {
  const controller = str(isObject(ic['spec']) ? ic['spec']['controller'] : undefined);
  const oldController = str(isObject(old['spec']) ? old['spec']['controller'] : undefined);
  return controller === oldController
    ? []
    : [invalid('spec.controller', controller, FIELD_IMMUTABLE_ERROR_MSG)];
}

export function ingressClassStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    generation: 'spec',
    defaults(ic) {
      const params = isObject(ic['spec']) ? ic['spec']['parameters'] : undefined;
      if (isObject(params) && (params['scope'] === undefined || params['scope'] === null)) {
        params['scope'] = 'Cluster';
      }
    },
    // kube checks the controller's immutability before the spec rules on update.
    validateForUpdate: (ic, old) => [...validateIngressClassUpdate(ic, old), ...validateSpec(ic)],
    validate: validateSpec,
  });
}
