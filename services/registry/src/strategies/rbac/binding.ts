// RoleBinding and ClusterRoleBinding (kube's ValidateRoleBinding / ValidateClusterRoleBinding
// / ValidateRoleBindingSubject); roleRef can never change.
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, invalid, notSupported, required } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, deepEqual, isObject, objects } from '../internal/json.js';
import { NAME_DNS_SUBDOMAIN, NAME_PATH_SEGMENT, each } from '../internal/meta.js';
import { child, index } from '../internal/path.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export function defaultBinding(b: JsonObject): void {
  if (isObject(b['roleRef']) && !b['roleRef']['apiGroup']) b['roleRef']['apiGroup'] = RBAC_GROUP;
  for (const s of objects(b['subjects'])) {
    if (s['apiGroup'] === undefined || s['apiGroup'] === '') {
      if (s['kind'] === 'User' || s['kind'] === 'Group') s['apiGroup'] = RBAC_GROUP;
    }
  }
}

export function validateSubject(s: JsonObject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof s['name'] === 'string' ? s['name'] : '';
  const apiGroup = typeof s['apiGroup'] === 'string' ? s['apiGroup'] : '';
  if (name === '') errs.push(required(child(path, 'name'), ''));
  switch (s['kind']) {
    case 'ServiceAccount':
      if (name !== '')
        errs.push(...each(child(path, 'name'), name, NAME_DNS_SUBDOMAIN(name, false)));
      if (apiGroup !== '') errs.push(notSupported(child(path, 'apiGroup'), apiGroup, ['']));
      if (!namespaced && !s['namespace']) errs.push(required(child(path, 'namespace'), ''));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP)
        errs.push(notSupported(child(path, 'apiGroup'), apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(
        notSupported(child(path, 'kind'), s['kind'] ?? '', ['ServiceAccount', 'User', 'Group']),
      );
  }
  return errs;
}

function validateBinding(b: JsonObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = isObject(b['roleRef']) ? b['roleRef'] : {};
  if (ref['apiGroup'] !== RBAC_GROUP)
    errs.push(notSupported('roleRef.apiGroup', ref['apiGroup'] ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(String(ref['kind'])))
    errs.push(notSupported('roleRef.kind', ref['kind'] ?? '', kinds));
  const name = typeof ref['name'] === 'string' ? ref['name'] : '';
  if (name === '') errs.push(required('roleRef.name', ''));
  else errs.push(...each('roleRef.name', name, NAME_PATH_SEGMENT(name, false)));
  objects(b['subjects']).forEach((s, i) =>
    errs.push(...validateSubject(s, namespaced, index('subjects', i))),
  );
  return errs;
}

function validateRoleRefUpdate(b: JsonObject, old: JsonObject): FieldError[] {
  return deepEqual(b['roleRef'], old['roleRef'])
    ? []
    : [invalid('roleRef', b['roleRef'] ?? null, 'cannot change roleRef')];
}

export function roleBindingStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    nameRule: NAME_PATH_SEGMENT,
    defaults: defaultBinding,
    validate: (b) => validateBinding(b, true),
    validateUpdate: validateRoleRefUpdate,
  });
}

export function clusterRoleBindingStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    nameRule: NAME_PATH_SEGMENT,
    defaults: defaultBinding,
    validate: (b) => validateBinding(b, false),
    validateUpdate: validateRoleRefUpdate,
  });
}
