// kube's pod quota evaluator (pkg/quota/v1/evaluator/core/pods.go): count/pods always,
// "pods" and compute resources only while the pod is not terminal, the cpu/memory quotas
// demanding explicit requests or limits on every container, and the pod scopes.
import { sign } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { add, quantityOf, type ResourceList } from '../resource-list.js';
import {
  containerLimits,
  containerRequests,
  containersOf,
  initContainersOf,
  podLevelResourcesSet,
  podLimits,
  podRequests,
  podSpec,
} from './pod-resources.js';
import { ScopeSelectorError, type Evaluator, type ScopeSelectorRequirement } from './types.js';

type Json = Record<string, unknown>;

const POD_RESOURCES = new Set([
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
]);
const POD_RESOURCE_PREFIXES = ['hugepages-', 'requests.hugepages-'];
// The quota kube (by an old mistake it keeps) turns into a must-specify demand.
const VALIDATION_SET = new Set([
  'cpu',
  'memory',
  'requests.cpu',
  'requests.memory',
  'limits.cpu',
  'limits.memory',
]);
const NATIVE_PREFIX = /^(?:[^/]*\.)?kubernetes\.io\//;

/** requests.<extended resource>: extended resources are quota'd on requests only. */
function isExtendedRequest(name: string): boolean {
  if (!name.startsWith('requests.')) return false;
  const rest = name.slice('requests.'.length);
  return rest.includes('/') && !NATIVE_PREFIX.test(rest);
}

/** kube's podComputeUsageHelper: what a set of requests and limits charges. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = { pods: quantityOf(1) };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (requests[r]) {
      out[r] = requests[r];
      out[`requests.${r}`] = requests[r];
    }
    if (limits[r]) out[`limits.${r}`] = limits[r];
  }
  for (const [name, q] of Object.entries(requests)) {
    if (name.startsWith('hugepages-')) {
      out[name] = q;
      out[`requests.${name}`] = q;
    } else if (name.includes('/') && !NATIVE_PREFIX.test(name)) {
      out[`requests.${name}`] = q;
    }
  }
  return out;
}

export function isTerminating(pod: KubeObject): boolean {
  const ads = podSpec(pod)['activeDeadlineSeconds'];
  return typeof ads === 'number' && ads >= 0;
}

/** QoS BestEffort: no container asks for or limits cpu or memory (kube's GetPodQOS). */
export function isBestEffort(pod: KubeObject): boolean {
  const positive = (l: ResourceList) => ['cpu', 'memory'].some((r) => l[r] && sign(l[r]) > 0);
  const all = [...containersOf(pod), ...initContainersOf(pod)];
  if (all.some((c) => positive(containerRequests(c)) || positive(containerLimits(c)))) return false;
  return !podLevelResourcesSet(pod);
}

function crossNamespaceTerms(terms: unknown, weighted: boolean): boolean {
  if (!Array.isArray(terms)) return false;
  return terms.some((t) => {
    const term = (weighted ? (t as Json)?.['podAffinityTerm'] : t) as Json | undefined;
    const ns = term?.['namespaces'];
    return (Array.isArray(ns) && ns.length > 0) || term?.['namespaceSelector'] != null;
  });
}

function usesCrossNamespaceAffinity(pod: KubeObject): boolean {
  const affinity = podSpec(pod)['affinity'] as Json | undefined;
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = affinity?.[kind] as Json | undefined;
    if (!a) continue;
    if (crossNamespaceTerms(a['requiredDuringSchedulingIgnoredDuringExecution'], false))
      return true;
    if (crossNamespaceTerms(a['preferredDuringSchedulingIgnoredDuringExecution'], true))
      return true;
  }
  return false;
}

/** A PriorityClass scope selector evaluated as a label selector on {PriorityClass: name}. */
function priorityClassMatches(pod: KubeObject, s: ScopeSelectorRequirement): boolean {
  const name = podSpec(pod)['priorityClassName'];
  const has = typeof name === 'string' && name !== '';
  const values = s.values ?? [];
  switch (s.operator) {
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'In':
      if (values.length === 0) throw new ScopeSelectorError('values must be non-empty for In');
      return has && values.includes(name);
    case 'NotIn':
      if (values.length === 0) throw new ScopeSelectorError('values must be non-empty for NotIn');
      return !has || !values.includes(name);
    default:
      throw new ScopeSelectorError(`"${s.operator}" is not a valid scope selector operator`);
  }
}

/** kube's QuotaV1Pod: terminal pods, and pods past their deletion grace, are not charged. */
export function podChargesCompute(pod: KubeObject, now: Date = new Date()): boolean {
  const phase = (pod.status as Json | undefined)?.['phase'];
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  const m = pod.metadata ?? {};
  if (m.deletionTimestamp && m.deletionGracePeriodSeconds !== undefined) {
    const end = Date.parse(m.deletionTimestamp) + m.deletionGracePeriodSeconds * 1000;
    if (now.getTime() > end) return false;
  }
  return true;
}

export const podEvaluator: Evaluator = {
  group: '',
  resource: 'pods',

  handles({ operation, subresource, object, oldObject }) {
    if (subresource === 'resize') return operation === 'UPDATE';
    if (subresource !== '') return false;
    if (operation === 'UPDATE' && object && oldObject)
      return isTerminating(object) !== isTerminating(oldObject);
    return operation === 'CREATE';
  },

  matchingResources(names) {
    return names.filter(
      (n) =>
        POD_RESOURCES.has(n) ||
        POD_RESOURCE_PREFIXES.some((p) => n.startsWith(p)) ||
        isExtendedRequest(n),
    );
  },

  matchesScope(s, pod) {
    switch (s.scopeName) {
      case 'Terminating':
        return isTerminating(pod);
      case 'NotTerminating':
        return !isTerminating(pod);
      case 'BestEffort':
        return isBestEffort(pod);
      case 'NotBestEffort':
        return !isBestEffort(pod);
      case 'PriorityClass':
        return priorityClassMatches(pod, s);
      case 'CrossNamespacePodAffinity':
        return usesCrossNamespaceAffinity(pod);
      default:
        return false;
    }
  },

  constraints(required, pod) {
    if (podLevelResourcesSet(pod)) return undefined;
    const requiredSet = required.filter((r) => VALIDATION_SET.has(r));
    if (requiredSet.length === 0) return undefined;
    const missing = new Map<string, Set<string>>();
    for (const c of [...containersOf(pod), ...initContainersOf(pod)]) {
      const have = computeUsage(containerRequests(c), containerLimits(c));
      for (const r of requiredSet) {
        if (have[r]) continue;
        if (!missing.has(r)) missing.set(r, new Set());
        missing.get(r)!.add(typeof c['name'] === 'string' ? c['name'] : '');
      }
    }
    if (missing.size === 0) return undefined;
    const parts = [...missing.keys()]
      .sort()
      .map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
    return `must specify ${parts.join('; ')}`;
  },

  usage(pod, now) {
    const out: ResourceList = { 'count/pods': quantityOf(1) };
    if (!podChargesCompute(pod, now)) return out;
    return add(out, computeUsage(podRequests(pod), podLimits(pod)));
  },
};
