// EndpointSlice strategy (discovery/v1; kube's ValidateEndpointSlice): address type,
// endpoint addresses per type, ports; addressType immutable.
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type FieldError,
  duplicate,
  invalid,
  notSupported,
  required,
  tooMany,
  validateImmutableField,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, isInt, isObject, objects, strings } from '../internal/json.js';
import {
  each,
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidPortNum,
  validateLabels,
} from '../internal/meta.js';
import { isIPv4, isIPv6 } from '../internal/net.js';
import { child, index } from '../internal/path.js';
import { SUPPORTED_PORT_PROTOCOLS } from '../core/container-validation.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;

function validateAddress(addr: string, type: unknown, path: string): FieldError[] {
  switch (type) {
    case 'IPv4':
      return isIPv4(addr) ? [] : [invalid(path, addr, 'must be a valid IPv4 address')];
    case 'IPv6':
      return isIPv6(addr) && !addr.includes('%')
        ? []
        : [invalid(path, addr, 'must be a valid IPv6 address')];
    case 'FQDN':
      return each(path, addr, isDNS1123Subdomain(addr));
    default:
      return [];
  }
}

function validateEndpointSlice(es: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = es['addressType'];
  const endpoints = objects(es['endpoints']);
  if (endpoints.length > MAX_ENDPOINTS)
    errs.push(tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  endpoints.forEach((ep, i) => {
    const p = index('endpoints', i);
    const addrs = strings(ep['addresses']);
    if (addrs.length === 0)
      errs.push(required(child(p, 'addresses'), 'must contain at least 1 address'));
    else if (addrs.length > MAX_ADDRESSES)
      errs.push(tooMany(child(p, 'addresses'), addrs.length, MAX_ADDRESSES));
    addrs.forEach((a, j) =>
      errs.push(...validateAddress(a, type, index(child(p, 'addresses'), j))),
    );
    if (typeof ep['nodeName'] === 'string' && ep['nodeName'] !== '') {
      errs.push(...each(child(p, 'nodeName'), ep['nodeName'], isDNS1123Subdomain(ep['nodeName'])));
    }
    if (typeof ep['hostname'] === 'string' && ep['hostname'] !== '') {
      errs.push(...each(child(p, 'hostname'), ep['hostname'], isDNS1123Label(ep['hostname'])));
    }
    if (isObject(ep['deprecatedTopology']))
      errs.push(...validateLabels(ep['deprecatedTopology'], child(p, 'deprecatedTopology')));
  });
  if (type === undefined || type === null || type === '') errs.push(required('addressType', ''));
  else if (!ADDRESS_TYPES.includes(String(type)))
    errs.push(notSupported('addressType', type, ADDRESS_TYPES));
  const ports = objects(es['ports']);
  if (ports.length > MAX_PORTS) errs.push(tooMany('ports', ports.length, MAX_PORTS));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = index('ports', i);
    const name = typeof port['name'] === 'string' ? port['name'] : '';
    if (name !== '') errs.push(...each(child(p, 'name'), name, isDNS1123Label(name)));
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    names.add(name);
    const proto = port['protocol'];
    if (proto === undefined || proto === null) errs.push(required(child(p, 'protocol'), ''));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(String(proto)))
      errs.push(notSupported(child(p, 'protocol'), proto, SUPPORTED_PORT_PROTOCOLS));
    if (port['port'] !== undefined && port['port'] !== null) {
      const n = isInt(port['port']) ? port['port'] : 0;
      errs.push(...each(child(p, 'port'), n, isValidPortNum(n)));
    }
  });
  return errs;
}

export function endpointSliceStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    defaults(es) {
      for (const p of objects(es['ports'])) {
        if (p['name'] === undefined || p['name'] === null) p['name'] = '';
        if (!p['protocol']) p['protocol'] = 'TCP';
      }
    },
    validate: validateEndpointSlice,
    validateUpdate: (es, old) =>
      validateImmutableField(es['addressType'] ?? '', old['addressType'] ?? '', 'addressType'),
  });
}
