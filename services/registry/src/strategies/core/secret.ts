// Secret strategy: type Opaque by default, stringData folded into data (kube does this in
// conversion, so stringData is never stored), type-specific required keys.
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type FieldError,
  invalid,
  required,
  tooLong,
  validateImmutableField,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, isObject, stringMap } from '../internal/json.js';
import { each, isConfigMapKey } from '../internal/meta.js';
import { key } from '../internal/path.js';
import { MAX_DATA_SIZE, base64Size, validateImmutableData } from './config-map.js';

const REDACTED = '<secret contents redacted>';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function defaultSecret(secret: JsonObject): void {
  if (secret['type'] === undefined || secret['type'] === null || secret['type'] === '')
    secret['type'] = 'Opaque';
  const stringData = secret['stringData'];
  if (isObject(stringData)) {
    const data = isObject(secret['data']) ? secret['data'] : {};
    for (const [k, v] of Object.entries(stringMap(stringData)))
      data[k] = Buffer.from(v, 'utf8').toString('base64');
    secret['data'] = data;
  }
  delete secret['stringData'];
}

function dataBytes(data: JsonObject, k: string): Buffer | undefined {
  const v = data[k];
  return typeof v === 'string' ? Buffer.from(v, 'base64') : undefined;
}

export function validateSecretData(secret: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = isObject(secret['data']) ? secret['data'] : {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...each(key('data', k), k, isConfigMapKey(k)));
    if (typeof v !== 'string' || !BASE64.test(v)) {
      errs.push(invalid(key('data', k), REDACTED, 'illegal base64 data'));
      continue;
    }
    total += base64Size(v);
  }
  if (total > MAX_DATA_SIZE) errs.push(tooLong('data', MAX_DATA_SIZE));
  const meta = isObject(secret['metadata']) ? secret['metadata'] : {};
  switch (secret['type']) {
    case 'kubernetes.io/service-account-token': {
      const name = stringMap(meta['annotations'])['kubernetes.io/service-account.name'];
      if (!name)
        errs.push(required(key('metadata.annotations', 'kubernetes.io/service-account.name'), ''));
      break;
    }
    case 'kubernetes.io/dockercfg':
      errs.push(...requireJson(data, '.dockercfg'));
      break;
    case 'kubernetes.io/dockerconfigjson':
      errs.push(...requireJson(data, '.dockerconfigjson'));
      break;
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but at least one must be present.
      if (!('username' in data) && !('password' in data)) {
        errs.push(required(key('data', 'username'), ''), required(key('data', 'password'), ''));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!dataBytes(data, 'ssh-privatekey')?.length)
        errs.push(required(key('data', 'ssh-privatekey'), ''));
      break;
    case 'kubernetes.io/tls':
      if (!('tls.crt' in data)) errs.push(required(key('data', 'tls.crt'), ''));
      if (!('tls.key' in data)) errs.push(required(key('data', 'tls.key'), ''));
      break;
  }
  return errs;
}

function requireJson(data: JsonObject, k: string): FieldError[] {
  const bytes = dataBytes(data, k);
  if (!bytes) return [required(key('data', k), '')];
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (!isObject(parsed))
      throw new SyntaxError('json: cannot unmarshal into Go value of type map[string]interface {}');
  } catch (err) {
    return [invalid(key('data', k), REDACTED, (err as Error).message)];
  }
  return [];
}

export function secretStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    defaults: defaultSecret,
    validate: validateSecretData,
    validateUpdate: (obj, old) => [
      ...validateImmutableField(obj['type'] ?? '', old['type'] ?? '', 'type'),
      ...validateImmutableData(obj, old, ['data']),
    ],
  });
}
