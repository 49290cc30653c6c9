// Endpoints strategy (kube's ValidateEndpoints): each subset has addresses and valid ports.
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type FieldError,
  duplicate,
  invalid,
  notSupported,
  required,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { type JsonObject, isInt, objects } from '../internal/json.js';
import { each, isDNS1123Label, isDNS1123Subdomain, isValidPortNum } from '../internal/meta.js';
import { INVALID_IP, isValidIP } from '../internal/net.js';
import { child, index } from '../internal/path.js';
import { SUPPORTED_PORT_PROTOCOLS } from './container-validation.js';

/** validateNonSpecialIP: endpoints may not point at unspecified, loopback or link-local addresses. */
export function validateNonSpecialIP(ip: string, path: string): FieldError[] {
  if (ip === '0.0.0.0' || ip === '::')
    return [invalid(path, ip, 'may not be unspecified (0.0.0.0, ::)')];
  if (/^127\./.test(ip) || ip === '::1')
    return [invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if (/^169\.254\./.test(ip) || /^fe[89ab][0-9a-f]:/i.test(ip)) {
    return [invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  }
  if (/^224\.0\.0\./.test(ip) || /^ff02:/i.test(ip)) {
    return [
      invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'),
    ];
  }
  return [];
}

function validateAddress(a: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ip = typeof a['ip'] === 'string' ? a['ip'] : '';
  if (!isValidIP(ip)) errs.push(invalid(child(path, 'ip'), ip, INVALID_IP));
  else errs.push(...validateNonSpecialIP(ip, child(path, 'ip')));
  if (typeof a['hostname'] === 'string' && a['hostname'] !== '') {
    errs.push(...each(child(path, 'hostname'), a['hostname'], isDNS1123Label(a['hostname'])));
  }
  if (typeof a['nodeName'] === 'string' && a['nodeName'] !== '') {
    errs.push(...each(child(path, 'nodeName'), a['nodeName'], isDNS1123Subdomain(a['nodeName'])));
  }
  return errs;
}

export function validateEndpointPort(
  port: JsonObject,
  requireName: boolean,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof port['name'] === 'string' ? port['name'] : '';
  if (requireName && name === '') errs.push(required(child(path, 'name'), ''));
  else if (name !== '') errs.push(...each(child(path, 'name'), name, isDNS1123Label(name)));
  const num = isInt(port['port']) ? port['port'] : 0;
  errs.push(...each(child(path, 'port'), num, isValidPortNum(num)));
  const proto = port['protocol'];
  if (!proto) errs.push(required(child(path, 'protocol'), ''));
  else if (!SUPPORTED_PORT_PROTOCOLS.includes(String(proto))) {
    errs.push(notSupported(child(path, 'protocol'), proto, SUPPORTED_PORT_PROTOCOLS));
  }
  return errs;
}

function validateEndpoints(ep: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  objects(ep['subsets']).forEach((ss, i) => {
    const p = index('subsets', i);
    const addrs = objects(ss['addresses']);
    const notReady = objects(ss['notReadyAddresses']);
    if (addrs.length === 0 && notReady.length === 0)
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    addrs.forEach((a, j) => errs.push(...validateAddress(a, index(child(p, 'addresses'), j))));
    notReady.forEach((a, j) =>
      errs.push(...validateAddress(a, index(child(p, 'notReadyAddresses'), j))),
    );
    const ports = objects(ss['ports']);
    const names = new Set<string>();
    ports.forEach((port, j) => {
      const pp = index(child(p, 'ports'), j);
      errs.push(...validateEndpointPort(port, ports.length > 1, pp));
      const name = String(port['name'] ?? '');
      if (name && names.has(name)) errs.push(duplicate(child(pp, 'name'), name));
      names.add(name);
    });
  });
  return errs;
}

export function endpointsStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    defaults(ep) {
      for (const ss of objects(ep['subsets']))
        for (const p of objects(ss['ports'])) if (!p['protocol']) p['protocol'] = 'TCP';
    },
    validate: validateEndpoints,
  });
}
