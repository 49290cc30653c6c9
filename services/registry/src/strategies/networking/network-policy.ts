// NetworkPolicy strategy (networking/v1 SetDefaults_NetworkPolicy, ValidateNetworkPolicy).
import type { ResourceDefinition } from '@splitplane/scheme';
import {
  type FieldError,
  forbidden,
  invalid,
  notSupported,
  required,
} from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import {
  type JsonObject,
  ensureObject,
  isInt,
  isObject,
  objects,
  strings,
} from '../internal/json.js';
import { each, isValidPortName, isValidPortNum, validateLabelSelector } from '../internal/meta.js';
import { INVALID_CIDR, isStrictSubset, parseCIDR } from '../internal/net.js';
import { child, index } from '../internal/path.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

export function defaultNetworkPolicy(np: JsonObject): void {
  const spec = ensureObject(np, 'spec');
  for (const dir of ['ingress', 'egress']) {
    for (const rule of objects(spec[dir]))
      for (const p of objects(rule['ports'])) if (!p['protocol']) p['protocol'] = 'TCP';
  }
  if (strings(spec['policyTypes']).length === 0) {
    spec['policyTypes'] = objects(spec['egress']).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

function validatePort(port: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const proto = port['protocol'];
  if (proto !== undefined && proto !== null && !PROTOCOLS.includes(String(proto)))
    errs.push(notSupported(child(path, 'protocol'), proto, PROTOCOLS));
  const p = port['port'];
  const end = port['endPort'];
  if (isInt(p)) {
    errs.push(...each(child(path, 'port'), p, isValidPortNum(p)));
    if (isInt(end)) {
      if (end < p)
        errs.push(invalid(child(path, 'endPort'), p, 'must be greater than or equal to `port`'));
      errs.push(...each(child(path, 'endPort'), end, isValidPortNum(end)));
    }
  } else if (typeof p === 'string') {
    if (end !== undefined && end !== null)
      errs.push(
        invalid(child(path, 'endPort'), end, 'may not be specified when `port` is non-numeric'),
      );
    errs.push(...each(child(path, 'port'), p, isValidPortName(p)));
  } else if (end !== undefined && end !== null) {
    errs.push(
      invalid(child(path, 'endPort'), end, 'may not be specified when `port` is not specified'),
    );
  }
  return errs;
}

function validatePeer(peer: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const f of ['podSelector', 'namespaceSelector']) {
    if (peer[f] === undefined || peer[f] === null) continue;
    n += 1;
    errs.push(...validateLabelSelector(peer[f], child(path, f)));
  }
  const block = peer['ipBlock'];
  if (isObject(block)) {
    n += 1;
    const bp = child(path, 'ipBlock');
    const cidrText = typeof block['cidr'] === 'string' ? block['cidr'] : '';
    const cidr = parseCIDR(cidrText);
    if (cidrText === '') errs.push(required(child(bp, 'cidr'), ''));
    else if (!cidr) errs.push(invalid(child(bp, 'cidr'), cidrText, INVALID_CIDR));
    strings(block['except']).forEach((e, i) => {
      const ep = index(child(bp, 'except'), i);
      const ex = parseCIDR(e);
      if (!ex) errs.push(invalid(ep, e, INVALID_CIDR));
      else if (cidr && !isStrictSubset(ex, cidr))
        errs.push(invalid(ep, e, 'must be a strict subset of `cidr`'));
    });
  }
  if (n === 0) errs.push(required(path, 'must specify a peer'));
  else if (n > 1 && isObject(block))
    errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

function validateNetworkPolicySpec(np: JsonObject): FieldError[] {
  const spec = isObject(np['spec']) ? np['spec'] : {};
  const errs = validateLabelSelector(spec['podSelector'] ?? {}, 'spec.podSelector');
  for (const [dir, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    objects(spec[dir]).forEach((rule, i) => {
      const rp = index(child('spec', dir), i);
      objects(rule['ports']).forEach((p, j) =>
        errs.push(...validatePort(p, index(child(rp, 'ports'), j))),
      );
      objects(rule[peers]).forEach((p, j) =>
        errs.push(...validatePeer(p, index(child(rp, peers), j))),
      );
    });
  }
  const types = strings(spec['policyTypes']);
  if (types.length > 2)
    return [
      ...errs,
      invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'),
    ];
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress')
      errs.push(notSupported(index('spec.policyTypes', i), t, ['Ingress', 'Egress']));
  });
  return errs;
}

export function networkPolicyStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    generation: 'spec',
    defaults: defaultNetworkPolicy,
    validate: validateNetworkPolicySpec,
  });
}
