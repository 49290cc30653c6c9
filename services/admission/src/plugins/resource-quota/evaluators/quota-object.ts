// Reading a ResourceQuota's JSON: hard and used lists, scopes and scope selectors.
import type { KubeObject } from '@splitplane/scheme';
import { parseResourceList, type ResourceList } from '../resource-list.js';
import type { Evaluator, ScopeSelectorRequirement } from './types.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};

export const specHard = (quota: KubeObject): ResourceList =>
  parseResourceList(obj(quota.spec)['hard']);

export const statusHard = (quota: KubeObject): ResourceList =>
  parseResourceList(obj(quota.status)['hard']);

export const statusUsed = (quota: KubeObject): ResourceList =>
  parseResourceList(obj(quota.status)['used']);

export const quotaScopes = (quota: KubeObject): string[] => {
  const scopes = obj(quota.spec)['scopes'];
  return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [];
};

/** spec.scopes as Exists requirements, then spec.scopeSelector's (kube's getScopeSelectorsFromQuota). */
export function scopeSelectors(quota: KubeObject): ScopeSelectorRequirement[] {
  const out: ScopeSelectorRequirement[] = quotaScopes(quota).map((scopeName) => ({
    scopeName,
    operator: 'Exists',
  }));
  const exprs = obj(obj(quota.spec)['scopeSelector'])['matchExpressions'];
  if (Array.isArray(exprs)) {
    for (const e of exprs) {
      const r = obj(e);
      if (typeof r['scopeName'] !== 'string' || typeof r['operator'] !== 'string') continue;
      out.push({
        scopeName: r['scopeName'],
        operator: r['operator'],
        ...(Array.isArray(r['values'])
          ? { values: r['values'].filter((v): v is string => typeof v === 'string') }
          : {}),
      });
    }
  }
  return out;
}

/** kube's generic.Matches: the quota limits something the evaluator measures, and every scope holds. */
export function quotaMatches(evaluator: Evaluator, quota: KubeObject, item: KubeObject): boolean {
  if (evaluator.matchingResources(Object.keys(statusHard(quota))).length === 0) return false;
  return scopeSelectors(quota).every((s) => evaluator.matchesScope(s, item));
}
