// PodSpec volumes (kube's validateVolumes / validateVolumeSource): unique DNS-label
// names and exactly one source per volume, with the checks of the common sources.
import {
  type FieldError,
  duplicate,
  forbidden,
  invalid,
  notSupported,
  required,
} from '@splitplane/apimachinery';
import { type JsonObject, isInt, isObject, objects } from '../internal/json.js';
import { each, isDNS1123Label, isDNS1123Subdomain } from '../internal/meta.js';
import { child, index } from '../internal/path.js';
import { validateLocalDescendingPath } from './container-validation.js';
import { quantityAt, validateNonnegativeQuantity } from './resources-validation.js';

/** Every VolumeSource member, in kube's validation order. */
const VOLUME_SOURCES = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'quobyte',
  'cephfs',
  'flexVolume',
  'cinder',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

const HOST_PATH_TYPES = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];
const MAX_MODE = 0o777;

/** Validates spec.volumes and returns the volume names for mount checks. */
export function validateVolumes(
  volumes: unknown,
  path: string,
): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objects(volumes).forEach((v, i) => {
    const p = index(path, i);
    const name = v['name'];
    if (typeof name !== 'string' || name === '') errs.push(required(child(p, 'name'), ''));
    else {
      errs.push(...each(child(p, 'name'), name, isDNS1123Label(name)));
      if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
      names.add(name);
    }
    errs.push(...validateVolumeSource(v, p));
  });
  return { errs, names };
}

export function validateVolumeSource(v: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const src of VOLUME_SOURCES) {
    if (v[src] === undefined || v[src] === null) continue;
    if (n > 0) {
      errs.push(forbidden(child(path, src), 'may not specify more than 1 volume type'));
      continue;
    }
    n += 1;
    const s = isObject(v[src]) ? v[src] : {};
    errs.push(...validateSource(src, s, child(path, src)));
  }
  if (n === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

function requiredString(obj: JsonObject, field: string, path: string): FieldError[] {
  const v = obj[field];
  return typeof v === 'string' && v !== '' ? [] : [required(child(path, field), '')];
}

function validateMode(mode: unknown, path: string): FieldError[] {
  if (mode === undefined || mode === null) return [];
  if (!isInt(mode) || mode < 0 || mode > MAX_MODE) {
    return [invalid(path, mode, 'must be a number between 0 and 0777 (octal), both inclusive')];
  }
  return [];
}

function validateKeyToPaths(items: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objects(items).forEach((item, i) => {
    const p = index(path, i);
    errs.push(...requiredString(item, 'key', p));
    const target = item['path'];
    if (typeof target !== 'string' || target === '') errs.push(required(child(p, 'path'), ''));
    else errs.push(...validateLocalNonReservedPath(target, child(p, 'path')));
    errs.push(...validateMode(item['mode'], child(p, 'mode')));
  });
  return errs;
}

function validateLocalNonReservedPath(target: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  // Paths starting with `..` are reserved for the atomic writer's own files.
  if (target.startsWith('..')) errs.push(invalid(path, target, "must not start with '..'"));
  return errs;
}

function validateSource(src: string, s: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (src) {
    case 'emptyDir': {
      if (s['sizeLimit'] !== undefined && s['sizeLimit'] !== null) {
        const q = quantityAt(s['sizeLimit'], child(path, 'sizeLimit'), errs);
        if (q) errs.push(...validateNonnegativeQuantity(q, child(path, 'sizeLimit')));
      }
      break;
    }
    case 'hostPath': {
      errs.push(...requiredString(s, 'path', path));
      const t = s['type'];
      if (t !== undefined && t !== null && !HOST_PATH_TYPES.includes(String(t))) {
        errs.push(notSupported(child(path, 'type'), t, HOST_PATH_TYPES));
      }
      break;
    }
    case 'secret': {
      const name = s['secretName'];
      if (typeof name !== 'string' || name === '')
        errs.push(required(child(path, 'secretName'), ''));
      else errs.push(...each(child(path, 'secretName'), name, isDNS1123Subdomain(name)));
      errs.push(...validateMode(s['defaultMode'], child(path, 'defaultMode')));
      errs.push(...validateKeyToPaths(s['items'], child(path, 'items')));
      break;
    }
    case 'configMap': {
      const name = s['name'];
      if (typeof name !== 'string' || name === '') errs.push(required(child(path, 'name'), ''));
      else errs.push(...each(child(path, 'name'), name, isDNS1123Subdomain(name)));
      errs.push(...validateMode(s['defaultMode'], child(path, 'defaultMode')));
      errs.push(...validateKeyToPaths(s['items'], child(path, 'items')));
      break;
    }
    case 'persistentVolumeClaim':
      errs.push(...requiredString(s, 'claimName', path));
      break;
    case 'nfs': {
      errs.push(...requiredString(s, 'server', path));
      const p = s['path'];
      if (typeof p !== 'string' || p === '') errs.push(required(child(path, 'path'), ''));
      else if (!p.startsWith('/'))
        errs.push(invalid(child(path, 'path'), p, 'must be an absolute path'));
      break;
    }
    case 'csi':
      errs.push(...requiredString(s, 'driver', path));
      break;
    case 'ephemeral':
      if (!isObject(s['volumeClaimTemplate']))
        errs.push(required(child(path, 'volumeClaimTemplate'), ''));
      break;
    case 'downwardAPI': {
      errs.push(...validateMode(s['defaultMode'], child(path, 'defaultMode')));
      objects(s['items']).forEach((item, i) => {
        const p = child(index(child(path, 'items'), i), 'path');
        const target = item['path'];
        if (typeof target !== 'string' || target === '') errs.push(required(p, ''));
        else errs.push(...validateLocalNonReservedPath(target, p));
      });
      break;
    }
    case 'projected': {
      errs.push(...validateMode(s['defaultMode'], child(path, 'defaultMode')));
      objects(s['sources']).forEach((ps, i) => {
        const p = index(child(path, 'sources'), i);
        const kinds = [
          'secret',
          'downwardAPI',
          'configMap',
          'serviceAccountToken',
          'clusterTrustBundle',
        ].filter((k) => ps[k] !== undefined && ps[k] !== null);
        if (kinds.length > 1)
          errs.push(forbidden(p, 'may not specify more than 1 volume type per source'));
        const sat = ps['serviceAccountToken'];
        if (isObject(sat)) {
          errs.push(...requiredString(sat, 'path', child(p, 'serviceAccountToken')));
          const exp = sat['expirationSeconds'];
          if (isInt(exp) && exp < 600) {
            errs.push(
              invalid(
                child(p, 'serviceAccountToken', 'expirationSeconds'),
                exp,
                'may not specify a duration less than 10 minutes',
              ),
            );
          }
        }
      });
      break;
    }
    case 'image':
      errs.push(...requiredString(s, 'reference', path));
      break;
  }
  return errs;
}
