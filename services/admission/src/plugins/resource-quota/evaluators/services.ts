// kube's service quota evaluator: services and count/services per object, node ports per
// port of NodePort and LoadBalancer services (only explicit ones when a LoadBalancer
// allocates none), a load balancer per LoadBalancer service.
import type { KubeObject } from '@splitplane/scheme';
import { quantityOf, ZERO, type ResourceList } from '../resource-list.js';
import type { Evaluator } from './types.js';

type Json = Record<string, unknown>;

const SERVICE_RESOURCES = new Set([
  'count/services',
  'services',
  'services.nodeports',
  'services.loadbalancers',
]);

export const serviceEvaluator: Evaluator = {
  group: '',
  resource: 'services',
  handles: ({ operation }) => operation === 'CREATE' || operation === 'UPDATE',
  matchingResources: (names) => names.filter((n) => SERVICE_RESOURCES.has(n)),
  matchesScope: () => false,
  constraints: () => undefined,
  usage(svc: KubeObject): ResourceList {
    const spec = (svc.spec ?? {}) as Json;
    const ports = Array.isArray(spec['ports']) ? (spec['ports'] as Json[]) : [];
    const out: ResourceList = {
      'count/services': quantityOf(1),
      services: quantityOf(1),
      'services.loadbalancers': ZERO,
      'services.nodeports': ZERO,
    };
    if (spec['type'] === 'NodePort') {
      out['services.nodeports'] = quantityOf(ports.length);
    } else if (spec['type'] === 'LoadBalancer') {
      const explicitOnly = spec['allocateLoadBalancerNodePorts'] === false;
      const n = explicitOnly
        ? ports.filter((p) => typeof p?.['nodePort'] === 'number' && p['nodePort'] !== 0).length
        : ports.length;
      out['services.nodeports'] = quantityOf(n);
      out['services.loadbalancers'] = quantityOf(1);
    }
    return out;
  },
};
