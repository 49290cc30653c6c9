// Service defaulting (SetDefaults_Service) and the allocation-adjacent bookkeeping kube's
// service REST storage does: clusterIPs mirroring clusterIP, IP family fields, and
// carrying allocated values over on update. Allocation itself is the store's write hooks'
// (src/allocators/service-allocation.ts).
import {
  type JsonObject,
  clone,
  ensureObject,
  isInt,
  isObject,
  objects,
  setDefault,
  strings,
} from '../internal/json.js';

export function isExternallyAccessible(spec: JsonObject): boolean {
  return (
    spec['type'] === 'LoadBalancer' ||
    spec['type'] === 'NodePort' ||
    (spec['type'] === 'ClusterIP' && strings(spec['externalIPs']).length > 0)
  );
}

export function defaultService(svc: JsonObject): void {
  const spec = ensureObject(svc, 'spec');
  if (!spec['sessionAffinity']) spec['sessionAffinity'] = 'None';
  if (spec['sessionAffinity'] === 'None') delete spec['sessionAffinityConfig'];
  if (spec['sessionAffinity'] === 'ClientIP') {
    const clientIP = ensureObject(ensureObject(spec, 'sessionAffinityConfig'), 'clientIP');
    setDefault(clientIP, 'timeoutSeconds', 10800);
  }
  if (!spec['type']) spec['type'] = 'ClusterIP';
  for (const p of objects(spec['ports'])) {
    if (!p['protocol']) p['protocol'] = 'TCP';
    if (
      p['targetPort'] === undefined ||
      p['targetPort'] === null ||
      p['targetPort'] === 0 ||
      p['targetPort'] === ''
    ) {
      p['targetPort'] = p['port'];
    }
  }
  if (isExternallyAccessible(spec) && !spec['externalTrafficPolicy'])
    spec['externalTrafficPolicy'] = 'Cluster';
  if (['ClusterIP', 'NodePort', 'LoadBalancer'].includes(String(spec['type']))) {
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (spec['type'] === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  if (isObject(svc['status'])) ensureObject(svc['status'], 'loadBalancer');
}

/** normalizeClusterIPs plus the IP family fields the allocator fills in (single-stack IPv4 here). */
export function prepareServiceIPs(spec: JsonObject): void {
  if (spec['type'] === 'ExternalName') return;
  const clusterIP = spec['clusterIP'];
  if (
    typeof clusterIP === 'string' &&
    clusterIP !== '' &&
    strings(spec['clusterIPs']).length === 0
  ) {
    spec['clusterIPs'] = [clusterIP];
  }
  setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  if (strings(spec['ipFamilies']).length === 0) {
    const first = strings(spec['clusterIPs'])[0];
    spec['ipFamilies'] = [first && first !== 'None' && first.includes(':') ? 'IPv6' : 'IPv4'];
  }
}

const needsClusterIP = (spec: JsonObject) => spec['type'] !== 'ExternalName';
const needsNodePort = (spec: JsonObject) =>
  spec['type'] === 'NodePort' ||
  (spec['type'] === 'LoadBalancer' && spec['allocateLoadBalancerNodePorts'] !== false);
const needsHealthCheck = (spec: JsonObject) =>
  spec['type'] === 'LoadBalancer' && spec['externalTrafficPolicy'] === 'Local';

/** patchAllocatedValues: values the server allocated survive an update that omits them. */
export function patchAllocatedValues(spec: JsonObject, oldSpec: JsonObject): void {
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (!spec['clusterIP'] && oldSpec['clusterIP']) spec['clusterIP'] = oldSpec['clusterIP'];
    if (strings(spec['clusterIPs']).length === 0 && strings(oldSpec['clusterIPs']).length > 0) {
      spec['clusterIPs'] = clone(oldSpec['clusterIPs']);
    }
    if (spec['ipFamilyPolicy'] === undefined && oldSpec['ipFamilyPolicy'] !== undefined)
      spec['ipFamilyPolicy'] = oldSpec['ipFamilyPolicy'];
    if (strings(spec['ipFamilies']).length === 0 && strings(oldSpec['ipFamilies']).length > 0) {
      spec['ipFamilies'] = clone(oldSpec['ipFamilies']);
    }
  }
  if (needsNodePort(oldSpec) && needsNodePort(spec)) {
    const used = (s: JsonObject) =>
      new Set(
        objects(s['ports'])
          .map((p) => p['nodePort'])
          .filter(isInt),
      );
    const oldUsed = used(oldSpec);
    const both = new Set([...used(spec)].filter((n) => oldUsed.has(n)));
    const byName = new Map(
      objects(oldSpec['ports']).map((p) => [String(p['name'] ?? ''), p['nodePort']]),
    );
    for (const p of objects(spec['ports'])) {
      if (isInt(p['nodePort']) && p['nodePort'] !== 0) continue;
      const v = byName.get(String(p['name'] ?? ''));
      if (isInt(v) && v !== 0 && !both.has(v)) p['nodePort'] = v;
    }
  }
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && !spec['healthCheckNodePort']) {
    if (oldSpec['healthCheckNodePort'] !== undefined)
      spec['healthCheckNodePort'] = oldSpec['healthCheckNodePort'];
  }
}

/**
 * dropTypeDependentFields: when a type change makes server-set values meaningless, they go,
 * unless the user changed them in this same update (then validation judges them).
 */
export function dropTypeDependentFields(spec: JsonObject, oldSpec: JsonObject): void {
  const same = (f: string) => JSON.stringify(spec[f]) === JSON.stringify(oldSpec[f]);
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if (same('clusterIP') && same('clusterIPs')) {
      delete spec['clusterIP'];
      delete spec['clusterIPs'];
    }
    if (same('ipFamilies')) delete spec['ipFamilies'];
    if (same('ipFamilyPolicy')) delete spec['ipFamilyPolicy'];
  }
  if (needsNodePort(oldSpec) && !needsNodePort(spec)) {
    const oldPorts = objects(oldSpec['ports']);
    objects(spec['ports']).forEach((p, i) => {
      if (oldPorts[i] && p['nodePort'] === oldPorts[i]!['nodePort']) delete p['nodePort'];
    });
  }
  if (needsHealthCheck(oldSpec) && !needsHealthCheck(spec) && same('healthCheckNodePort'))
    delete spec['healthCheckNodePort'];
  if (spec['type'] !== 'LoadBalancer') {
    if (same('allocateLoadBalancerNodePorts')) delete spec['allocateLoadBalancerNodePorts'];
    if (same('loadBalancerClass')) delete spec['loadBalancerClass'];
  }
  if (!isExternallyAccessible(spec) && same('externalTrafficPolicy'))
    delete spec['externalTrafficPolicy'];
}
