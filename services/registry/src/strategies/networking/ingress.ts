// Ingress strategy (networking/v1; kube's ValidateIngress and ingress strategy).
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, invalid, notSupported, required } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, isInt, isObject, objects, stringMap, strings } from '../internal/json.js';
import {
  NAME_DNS_1035_LABEL,
  each,
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
} from '../internal/meta.js';
import { isValidIP } from '../internal/net.js';
import { child, index } from '../internal/path.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];
const WILDCARD_MSG =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function validateHost(host: string, path: string): FieldError[] {
  if (host.includes('*')) {
    const rest = host.startsWith('*.') ? host.slice(2) : '';
    return rest && isDNS1123Subdomain(rest).length === 0 ? [] : [invalid(path, host, WILDCARD_MSG)];
  }
  return each(path, host, isDNS1123Subdomain(host));
}

export function validateIngressBackend(b: JsonObject, path: string): FieldError[] {
  const hasResource = isObject(b['resource']);
  const svc = b['service'];
  if (hasResource && isObject(svc))
    return [invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    const r = b['resource'] as JsonObject;
    const errs: FieldError[] = [];
    if (!r['kind']) errs.push(required(child(path, 'resource', 'kind'), ''));
    if (!r['name']) errs.push(required(child(path, 'resource', 'name'), ''));
    return errs;
  }
  if (!isObject(svc)) return [invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const name = typeof svc['name'] === 'string' ? svc['name'] : '';
  if (name === '') errs.push(required(child(path, 'service', 'name'), ''));
  else errs.push(...each(child(path, 'service', 'name'), name, NAME_DNS_1035_LABEL(name, false)));
  const port = isObject(svc['port']) ? svc['port'] : {};
  const portName = typeof port['name'] === 'string' ? port['name'] : '';
  const portNum = isInt(port['number']) ? port['number'] : 0;
  if (portName && portNum) errs.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (portName)
    errs.push(...each(child(path, 'service', 'port', 'name'), portName, isValidPortName(portName)));
  else if (portNum)
    errs.push(...each(child(path, 'service', 'port', 'number'), portNum, isValidPortNum(portNum)));
  else errs.push(required(path, 'port name or number is required'));
  return errs;
}

function validateHTTPPath(p: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const pt = p['pathType'];
  const value = typeof p['path'] === 'string' ? p['path'] : '';
  if (pt === undefined || pt === null)
    return [required(child(path, 'pathType'), 'pathType must be specified')];
  if (pt === 'Exact' || pt === 'Prefix') {
    if (!value.startsWith('/'))
      errs.push(invalid(child(path, 'path'), value, 'must be an absolute path'));
    if (value) {
      for (const seq of INVALID_SEQUENCES)
        if (value.includes(seq))
          errs.push(invalid(child(path, 'path'), value, `must not contain '${seq}'`));
      for (const suf of INVALID_SUFFIXES)
        if (value.endsWith(suf))
          errs.push(invalid(child(path, 'path'), value, `cannot end with '${suf}'`));
    }
  } else if (pt === 'ImplementationSpecific') {
    if (value && !value.startsWith('/'))
      errs.push(invalid(child(path, 'path'), value, 'must be an absolute path'));
  } else {
    errs.push(notSupported(child(path, 'pathType'), pt, PATH_TYPES));
  }
  errs.push(
    ...validateIngressBackend(isObject(p['backend']) ? p['backend'] : {}, child(path, 'backend')),
  );
  return errs;
}

function validateIngressSpec(ing: JsonObject): FieldError[] {
  const spec = isObject(ing['spec']) ? ing['spec'] : {};
  const errs: FieldError[] = [];
  const rules = objects(spec['rules']);
  if (isObject(spec['defaultBackend']))
    errs.push(...validateIngressBackend(spec['defaultBackend'], 'spec.defaultBackend'));
  else if (rules.length === 0)
    errs.push(invalid('spec.rules', [], 'either `defaultBackend` or `rules` must be specified'));
  rules.forEach((r, i) => {
    const p = index('spec.rules', i);
    const host = typeof r['host'] === 'string' ? r['host'] : '';
    if (host) {
      if (isValidIP(host))
        errs.push(invalid(child(p, 'host'), host, 'must be a DNS name, not an IP address'));
      errs.push(...validateHost(host, child(p, 'host')));
    }
    const http = r['http'];
    if (isObject(http)) {
      const paths = objects(http['paths']);
      if (paths.length === 0) errs.push(required(child(p, 'http', 'paths'), ''));
      paths.forEach((hp, j) =>
        errs.push(...validateHTTPPath(hp, index(child(p, 'http', 'paths'), j))),
      );
    }
  });
  objects(spec['tls']).forEach((t, i) => {
    strings(t['hosts']).forEach((h, j) =>
      errs.push(...validateHost(h, index(child(index('spec.tls', i), 'hosts'), j))),
    );
  });
  const cls = spec['ingressClassName'];
  if (typeof cls === 'string' && cls !== '')
    errs.push(...each('spec.ingressClassName', cls, isDNS1123Subdomain(cls)));
  return errs;
}

export function ingressStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    generation: 'spec',
    prepareForCreate(ing) {
      ing['status'] = { loadBalancer: {} };
    },
    validate: validateIngressSpec,
    warnings(ing) {
      const meta = isObject(ing['metadata']) ? ing['metadata'] : {};
      const out: string[] = [];
      if ('kubernetes.io/ingress.class' in stringMap(meta['annotations'])) {
        out.push(
          `annotation "kubernetes.io/ingress.class" is deprecated, please use 'spec.ingressClassName' instead`,
        );
      }
      return out;
    },
  });
}
