// Service validation (kube's ValidateService / ValidateServiceClusterIPsRelatedFields /
// ValidateServiceUpdate), with kube's field paths and messages.
import {
  type FieldError,
  duplicate,
  forbidden,
  invalid,
  notSupported,
  required,
} from '@splitplane/apimachinery';
import { type JsonObject, isInt, isObject, objects, strings } from '../internal/json.js';
import { each, isDNS1123Label, isDNS1123Subdomain, validateLabels } from '../internal/meta.js';
import { INVALID_CIDR, INVALID_IP, isIPv6, isValidCIDR, isValidIP } from '../internal/net.js';
import { child, index } from '../internal/path.js';
import { SUPPORTED_PORT_PROTOCOLS } from './container-validation.js';
import { validatePortNumOrName } from './probe-validation.js';
import { isExternallyAccessible } from './service-defaults.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const AFFINITIES = ['ClientIP', 'None'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const MAX_AFFINITY_SECONDS = 86400;
/** The default --service-node-port-range; allocation is not done here, but the range is checked. */

export const isHeadless = (spec: JsonObject) => {
  const ips = strings(spec['clusterIPs']);
  return ips.length === 1 && ips[0] === 'None';
};

export function validateServiceSpec(svc: JsonObject): FieldError[] {
  const spec = isObject(svc['spec']) ? svc['spec'] : {};
  const sp = 'spec';
  const errs: FieldError[] = [];
  const ports = objects(spec['ports']);
  const type = spec['type'];
  const headless = isHeadless(spec);
  if (ports.length === 0 && !headless && type !== 'ExternalName')
    errs.push(required(child(sp, 'ports'), ''));
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless) {
    errs.push(
      invalid(
        index(child(sp, 'clusterIPs'), 0),
        'None',
        `may not be set to 'None' for ${type} services`,
      ),
    );
  }
  if (type === 'ExternalName') {
    if (strings(spec['clusterIPs']).length > 0)
      errs.push(forbidden(child(sp, 'clusterIPs'), 'may not be set for ExternalName services'));
    if (strings(spec['ipFamilies']).length > 0)
      errs.push(forbidden(child(sp, 'ipFamilies'), 'may not be set for ExternalName services'));
    if (spec['ipFamilyPolicy'] !== undefined && spec['ipFamilyPolicy'] !== null) {
      errs.push(forbidden(child(sp, 'ipFamilyPolicy'), 'may not be set for ExternalName services'));
    }
    // A trailing dot marks the CNAME as fully qualified.
    const cname =
      typeof spec['externalName'] === 'string' ? spec['externalName'].replace(/\.$/, '') : '';
    if (cname) errs.push(...each(child(sp, 'externalName'), cname, isDNS1123Subdomain(cname)));
    else errs.push(required(child(sp, 'externalName'), ''));
  }
  const names = new Set<string>();
  ports.forEach((p, i) =>
    errs.push(...validateServicePort(p, ports.length > 1, names, index(child(sp, 'ports'), i))),
  );
  if (spec['selector'] !== undefined && spec['selector'] !== null)
    errs.push(...validateLabels(spec['selector'], child(sp, 'selector')));

  const affinity = spec['sessionAffinity'];
  if (!affinity) errs.push(required(child(sp, 'sessionAffinity'), ''));
  else if (!AFFINITIES.includes(String(affinity)))
    errs.push(notSupported(child(sp, 'sessionAffinity'), affinity, AFFINITIES));
  if (affinity === 'ClientIP')
    errs.push(
      ...validateClientIPAffinity(
        spec['sessionAffinityConfig'],
        child(sp, 'sessionAffinityConfig'),
      ),
    );
  else if (
    affinity === 'None' &&
    spec['sessionAffinityConfig'] !== undefined &&
    spec['sessionAffinityConfig'] !== null
  ) {
    errs.push(
      forbidden(
        child(sp, 'sessionAffinityConfig'),
        'must not be set when session affinity is None',
      ),
    );
  }
  errs.push(...validateClusterIPFields(spec));
  strings(spec['externalIPs']).forEach((ip, i) => {
    if (!isValidIP(ip)) errs.push(invalid(index(child(sp, 'externalIPs'), i), ip, INVALID_IP));
  });
  if (!type) errs.push(required(child(sp, 'type'), ''));
  else if (!SERVICE_TYPES.includes(String(type)))
    errs.push(notSupported(child(sp, 'type'), type, SERVICE_TYPES));
  errs.push(...validateNodePorts(spec, ports));
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${p['protocol']}/${p['port']}`;
    if (seen.has(k))
      errs.push(
        duplicate(index(child(sp, 'ports'), i), { port: p['port'], protocol: p['protocol'] }),
      );
    seen.add(k);
  });
  const ranges = strings(spec['loadBalancerSourceRanges']);
  if (ranges.length > 0) {
    const p = child(sp, 'LoadBalancerSourceRanges');
    if (type !== 'LoadBalancer')
      errs.push(forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => {
      if (!isValidCIDR(r.trim())) errs.push(invalid(index(p, i), r.trim(), INVALID_CIDR));
    });
  }
  const alloc = spec['allocateLoadBalancerNodePorts'];
  if (alloc !== undefined && alloc !== null && type !== 'LoadBalancer') {
    errs.push(
      forbidden(
        child(sp, 'allocateLoadBalancerNodePorts'),
        "may only be used when `type` is 'LoadBalancer'",
      ),
    );
  }
  if (type === 'LoadBalancer' && (alloc === undefined || alloc === null))
    errs.push(required('allocateLoadBalancerNodePorts', ''));
  errs.push(...validateTrafficPolicies(spec));
  return errs;
}

function validateServicePort(
  p: JsonObject,
  requireName: boolean,
  names: Set<string>,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof p['name'] === 'string' ? p['name'] : '';
  if (requireName && name === '') errs.push(required(child(path, 'name'), ''));
  else if (name !== '') {
    errs.push(...each(child(path, 'name'), name, isDNS1123Label(name)));
    if (names.has(name)) errs.push(duplicate(child(path, 'name'), name));
    else names.add(name);
  }
  errs.push(...validatePortNumOrName(isInt(p['port']) ? p['port'] : 0, child(path, 'port')));
  const proto = p['protocol'];
  if (!proto) errs.push(required(child(path, 'protocol'), ''));
  else if (!SUPPORTED_PORT_PROTOCOLS.includes(String(proto))) {
    errs.push(notSupported(child(path, 'protocol'), proto, SUPPORTED_PORT_PROTOCOLS));
  }
  errs.push(...validatePortNumOrName(p['targetPort'], child(path, 'targetPort')));
  return errs;
}

function validateClientIPAffinity(config: unknown, path: string): FieldError[] {
  const detail = 'when session affinity type is ClientIP';
  if (!isObject(config)) return [required(path, detail)];
  const clientIP = config['clientIP'];
  if (!isObject(clientIP)) return [required(child(path, 'clientIP'), detail)];
  const t = clientIP['timeoutSeconds'];
  const tPath = child(path, 'clientIP', 'timeoutSeconds');
  if (t === undefined || t === null) return [required(tPath, detail)];
  if (!isInt(t) || t <= 0 || t > MAX_AFFINITY_SECONDS) {
    return [invalid(tPath, t, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`)];
  }
  return [];
}

function validateClusterIPFields(spec: JsonObject): FieldError[] {
  if (spec['type'] === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ipsPath = 'spec.clusterIPs';
  const clusterIP = typeof spec['clusterIP'] === 'string' ? spec['clusterIP'] : '';
  const ips = strings(spec['clusterIPs']);
  if (clusterIP !== '') {
    if (ips.length === 0) errs.push(required(ipsPath, ''));
    else if (ips[0] !== clusterIP)
      errs.push(invalid(ipsPath, ips, 'first value must match `clusterIP`'));
  } else if (ips.length !== 0) {
    errs.push(invalid(ipsPath, ips, 'must be empty when `clusterIP` is not specified'));
  }
  const families = strings(spec['ipFamilies']);
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (!IP_FAMILIES.includes(f))
      errs.push(notSupported(index('spec.ipFamilies', i), f, IP_FAMILIES));
    if (seen.has(f)) errs.push(duplicate(index('spec.ipFamilies', i), f));
    seen.add(f);
  });
  const policy = spec['ipFamilyPolicy'];
  if (policy !== undefined && policy !== null && !IP_FAMILY_POLICIES.includes(String(policy))) {
    errs.push(notSupported('spec.ipFamilyPolicy', policy, IP_FAMILY_POLICIES));
  }
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(invalid(ipsPath, ips, "'None' must be the first and only value"));
      }
      return;
    }
    if (!isValidIP(ip)) {
      badIPs = true;
      errs.push(invalid(index(ipsPath, i), ip, INVALID_IP));
    }
  });
  if (ips.length > 2) errs.push(invalid(ipsPath, ips, 'may only hold up to 2 values'));
  if (badIPs) return errs;
  if (ips.length > 1 && isIPv6(ips[0]!) === isIPv6(ips[1]!)) {
    errs.push(invalid(ipsPath, ips, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(spec)) {
    ips.forEach((ip, i) => {
      const f = families[i];
      if (f === 'IPv4' && isIPv6(ip))
        errs.push(
          invalid(
            index(ipsPath, i),
            ip,
            `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``,
          ),
        );
      if (f === 'IPv6' && !isIPv6(ip))
        errs.push(
          invalid(
            index(ipsPath, i),
            ip,
            `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``,
          ),
        );
    });
  }
  return errs;
}

function validateNodePorts(spec: JsonObject, ports: JsonObject[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const np = p['nodePort'];
    if (np === undefined || np === null || np === 0) return;
    const path = child(index('spec.ports', i), 'nodePort');
    if (spec['type'] === 'ClusterIP') {
      errs.push(forbidden(path, "may not be used when `type` is 'ClusterIP'"));
      return;
    }
    // Which ports are allowed is the allocator's question (--service-node-port-range).
    if (!isInt(np) || np < 1 || np > 65535) {
      errs.push(invalid(path, np, 'must be between 1 and 65535, inclusive'));
    }
    const k = `${p['protocol']}/${np}`;
    if (seen.has(k)) errs.push(duplicate(path, np));
    seen.add(k);
  });
  return errs;
}

function validateTrafficPolicies(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const etp = spec['externalTrafficPolicy'];
  if (!isExternallyAccessible(spec)) {
    if (etp)
      errs.push(
        invalid(
          'spec.externalTrafficPolicy',
          etp,
          'may only be set for externally-accessible services',
        ),
      );
  } else if (!etp) {
    errs.push(required('spec.externalTrafficPolicy', ''));
  } else if (!TRAFFIC_POLICIES.includes(String(etp))) {
    errs.push(notSupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES));
  }
  const hc = spec['healthCheckNodePort'];
  if (
    hc !== undefined &&
    hc !== null &&
    hc !== 0 &&
    !(spec['type'] === 'LoadBalancer' && etp === 'Local')
  ) {
    errs.push(
      invalid(
        'spec.healthCheckNodePort',
        hc,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    );
  }
  const itp = spec['internalTrafficPolicy'];
  if (itp === undefined || itp === null) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(String(spec['type'])))
      errs.push(required('spec.internalTrafficPolicy', ''));
  } else if (!TRAFFIC_POLICIES.includes(String(itp))) {
    errs.push(notSupported('spec.internalTrafficPolicy', itp, TRAFFIC_POLICIES));
  }
  return errs;
}

/** validateUpgradeDowngradeClusterIPs: allocated cluster IPs never change. */
export function validateClusterIPsUpdate(spec: JsonObject, oldSpec: JsonObject): FieldError[] {
  if (spec['type'] === 'ExternalName' || oldSpec['type'] === 'ExternalName') return [];
  if (isHeadless(spec) && isHeadless(oldSpec)) return [];
  const ips = strings(spec['clusterIPs']);
  const oldIPs = strings(oldSpec['clusterIPs']);
  const p0 = index('spec.clusterIPs', 0);
  const errs: FieldError[] = [];
  if (ips.length === oldIPs.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i])
        errs.push(invalid(index('spec.clusterIPs', i), ips, 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (ips.length === 0) errs.push(invalid(p0, ips, 'primary clusterIP can not be unset'));
    if (ips.length > 0 && ips[0] !== oldIPs[0])
      errs.push(invalid(p0, ips, 'may not change once set'));
    if (ips.length === 1 && spec['ipFamilyPolicy'] !== 'SingleStack') {
      errs.push(
        invalid(
          p0,
          ips,
          "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP",
        ),
      );
    }
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    errs.push(invalid(p0, ips, 'may not change once set'));
  }
  return errs;
}
