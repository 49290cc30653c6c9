// Container env and envFrom (kube's validateEnv / validateEnvVarValueFrom / validateEnvFrom).
import { type FieldError, invalid, notSupported, required } from '@splitplane/apimachinery';
import { type JsonObject, isObject, objects } from '../internal/json.js';
import {
  each,
  isConfigMapKey,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
} from '../internal/meta.js';
import { child, index } from '../internal/path.js';

const ENV_FIELD_PATHS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

const ENV_RESOURCE_FIELDS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

export function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objects(env).forEach((ev, i) => {
    const p = index(path, i);
    const name = ev['name'];
    if (typeof name !== 'string' || name === '') errs.push(required(child(p, 'name'), ''));
    else errs.push(...each(child(p, 'name'), name, isEnvVarName(name)));
    if (ev['valueFrom'] !== undefined && ev['valueFrom'] !== null) {
      errs.push(...validateValueFrom(ev, child(p, 'valueFrom')));
    }
  });
  return errs;
}

function validateValueFrom(ev: JsonObject, path: string): FieldError[] {
  const from = isObject(ev['valueFrom']) ? ev['valueFrom'] : {};
  const errs: FieldError[] = [];
  let n = 0;
  if (isObject(from['fieldRef'])) {
    n += 1;
    errs.push(...validateFieldRef(from['fieldRef'], child(path, 'fieldRef')));
  }
  if (isObject(from['resourceFieldRef'])) {
    n += 1;
    const r = from['resourceFieldRef'];
    const p = child(path, 'resourceFieldRef');
    if (typeof r['resource'] !== 'string' || r['resource'] === '')
      errs.push(required(child(p, 'resource'), ''));
    else if (
      !ENV_RESOURCE_FIELDS.includes(r['resource']) &&
      !/^(limits|requests)\.hugepages-/.test(r['resource'])
    ) {
      errs.push(notSupported(child(p, 'resource'), r['resource'], ENV_RESOURCE_FIELDS));
    }
  }
  for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
    if (!isObject(from[ref])) continue;
    n += 1;
    const r = from[ref];
    const p = child(path, ref);
    if (typeof r['name'] !== 'string' || r['name'] === '')
      errs.push(required(child(p, 'name'), ''));
    else errs.push(...each(child(p, 'name'), r['name'], isDNS1123Subdomain(r['name'])));
    if (typeof r['key'] !== 'string' || r['key'] === '') errs.push(required(child(p, 'key'), ''));
    else errs.push(...each(child(p, 'key'), r['key'], isConfigMapKey(r['key'])));
  }
  if (n === 0) {
    errs.push(
      invalid(
        path,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ),
    );
  } else if (typeof ev['value'] === 'string' && ev['value'] !== '') {
    errs.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (n > 1) {
    errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

function validateFieldRef(ref: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const apiVersion = ref['apiVersion'];
  const fieldPath = ref['fieldPath'];
  if (typeof apiVersion !== 'string' || apiVersion === '')
    errs.push(required(child(path, 'apiVersion'), ''));
  else if (apiVersion !== 'v1')
    errs.push(notSupported(child(path, 'apiVersion'), apiVersion, ['v1']));
  if (typeof fieldPath !== 'string' || fieldPath === '') {
    errs.push(required(child(path, 'fieldPath'), ''));
    return errs;
  }
  // metadata.labels['key'] / metadata.annotations['key'] name one entry.
  const subscript = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath);
  if (subscript) {
    errs.push(
      ...each(child(path, 'fieldPath'), fieldPath, isQualifiedName(subscript[2]!.toLowerCase())),
    );
    return errs;
  }
  if (!ENV_FIELD_PATHS.includes(fieldPath)) {
    errs.push(notSupported(child(path, 'fieldPath'), fieldPath, ENV_FIELD_PATHS));
  }
  return errs;
}

export function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objects(envFrom).forEach((src, i) => {
    const p = index(path, i);
    const prefix = src['prefix'];
    if (typeof prefix === 'string' && prefix !== '')
      errs.push(...each(child(p, 'prefix'), prefix, isEnvVarName(prefix)));
    let n = 0;
    for (const ref of ['configMapRef', 'secretRef']) {
      if (!isObject(src[ref])) continue;
      n += 1;
      const name = src[ref]['name'];
      if (typeof name !== 'string' || name === '') errs.push(required(child(p, ref, 'name'), ''));
      else errs.push(...each(child(p, ref, 'name'), name, isDNS1123Subdomain(name)));
    }
    if (n === 0) errs.push(invalid(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1)
      errs.push(invalid(p, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}
