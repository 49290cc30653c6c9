// Which evaluator measures a group/resource: pods, services and PVCs have their own; a few
// core kinds count under a legacy alias too; anything else gets a plain object counter.
import { objectCountEvaluator, objectCountName } from './object-count.js';
import { persistentVolumeClaimEvaluator } from './persistent-volume-claims.js';
import { podEvaluator } from './pods.js';
import { serviceEvaluator } from './services.js';
import type { Evaluator } from './types.js';

const LEGACY_ALIASES: Record<string, string> = {
  configmaps: 'configmaps',
  resourcequotas: 'resourcequotas',
  replicationcontrollers: 'replicationcontrollers',
  secrets: 'secrets',
};

const legacyAlias = (name: string): string | undefined =>
  Object.hasOwn(LEGACY_ALIASES, name) ? LEGACY_ALIASES[name] : undefined;

/** Virtual or event-like resources kube never quotas (its default ignored resources). */
const IGNORED = new Set([
  '/bindings',
  '/componentstatuses',
  '/events',
  'events.k8s.io/events',
  'authentication.k8s.io/tokenreviews',
  'authentication.k8s.io/selfsubjectreviews',
  'authorization.k8s.io/subjectaccessreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/localsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
]);

export function isIgnoredResource(group: string, resource: string): boolean {
  return IGNORED.has(`${group}/${resource}`);
}

const cache = new Map<string, Evaluator>();

/** The evaluator of `group`/`resource` (created on first use, as kube's admission does). */
export function evaluatorFor(group: string, resource: string): Evaluator {
  const key = `${group}/${resource}`;
  let e = cache.get(key);
  if (!e) {
    if (group === '' && resource === 'pods') e = podEvaluator;
    else if (group === '' && resource === 'services') e = serviceEvaluator;
    else if (group === '' && resource === 'persistentvolumeclaims')
      e = persistentVolumeClaimEvaluator;
    else
      e = objectCountEvaluator(group, resource, group === '' ? (legacyAlias(resource) ?? '') : '');
    cache.set(key, e);
  }
  return e;
}

/** The group/resource a quota resource name measures, when one evaluator owns it. */
export function resourceOfQuotaName(name: string): { group: string; resource: string } | undefined {
  if (name.startsWith('count/')) {
    const rest = name.slice('count/'.length);
    const dot = rest.indexOf('.');
    return dot < 0
      ? { group: '', resource: rest }
      : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
  }
  for (const e of [podEvaluator, serviceEvaluator, persistentVolumeClaimEvaluator]) {
    if (e.matchingResources([name]).length > 0) return { group: e.group, resource: e.resource };
  }
  const legacy = legacyAlias(name);
  if (legacy) return { group: '', resource: legacy };
  return undefined;
}

export { objectCountName };
