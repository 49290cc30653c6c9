// kube's CheckRequest (k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go):
// given the namespace's quotas as they stand, refuse a request that breaks one, or return
// the quotas' usage with the request charged. Pure: the caller persists the result.
import { StatusError, newInternalError, sign } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes } from '../../chain/plugin.js';
import { quotaMatches, scopeSelectors, statusHard, statusUsed } from './evaluators/quota-object.js';
import type { Evaluator, ScopeSelectorRequirement } from './evaluators/types.js';
import { formatScopes, type LimitedResource } from './config.js';
import { quotaForbidden } from './forbidden.js';
import {
  add,
  isNegative,
  lessThanOrEqual,
  mask,
  prettyPrint,
  prettyPrintNames,
  removeZeros,
  resourceNames,
  subtractNonNegative,
  type ResourceList,
} from './resource-list.js';

/** One quota as admission works on it: the stored object and its running usage. */
export interface QuotaState {
  quota: KubeObject;
  hard: ResourceList;
  used: ResourceList;
}

export const quotaName = (s: QuotaState): string => s.quota.metadata?.name ?? '';

/** Whether status.used has every hard resource among `interesting` (kube's hasUsageStats). */
function hasUsageStats(state: QuotaState, interesting: readonly string[]): boolean {
  return Object.keys(state.hard).every(
    (n) => !interesting.includes(n) || Object.hasOwn(state.used, n),
  );
}

function matches(evaluator: Evaluator, quota: KubeObject, obj: KubeObject): boolean {
  try {
    return quotaMatches(evaluator, quota, obj);
  } catch (err) {
    throw newInternalError(
      new Error(
        `error matching scopes of quota ${quota.metadata?.name ?? ''}, err: ${String(err)}`,
      ),
    );
  }
}

/** What `limited` (kube's LimitedResources) demands of this request's object. */
function limitsFor(
  limited: readonly LimitedResource[],
  attrs: AdmissionAttributes,
  evaluator: Evaluator,
  input: KubeObject,
  now: Date,
): { names: Set<string>; scopes: ScopeSelectorRequirement[] } {
  const scopes = limited.flatMap((l) =>
    l.matchScopes.filter((s) => safeScope(evaluator, s, input)),
  );
  const names = new Set<string>();
  const mine = limited.filter(
    (l) => l.apiGroup === attrs.resource.group && l.resource === attrs.resource.resource,
  );
  if (mine.length > 0) {
    const usage = evaluator.usage(input, now);
    for (const l of mine)
      for (const [name, q] of Object.entries(usage))
        if (sign(q) > 0 && l.matchContains.some((c) => name.includes(c))) names.add(name);
  }
  return { names, scopes };
}

function safeScope(evaluator: Evaluator, s: ScopeSelectorRequirement, obj: KubeObject): boolean {
  try {
    return evaluator.matchesScope(s, obj);
  } catch {
    return false;
  }
}

/**
 * Returns `states` with the request charged (the same array when it charges nothing), or
 * throws kube's 403 (exceeded quota, failed quota, status unknown, insufficient quota...).
 */
export function checkRequest(
  states: QuotaState[],
  attrs: AdmissionAttributes,
  evaluator: Evaluator,
  now: Date = new Date(),
  limited: readonly LimitedResource[] = [],
): QuotaState[] {
  const input = attrs.object;
  if (!input) return states;
  const limits = limitsFor(limited, attrs, evaluator, input, now);
  const interesting: number[] = [];
  const restrictedResources = new Set<string>();
  const restrictedScopes: ScopeSelectorRequirement[] = [];
  for (let i = 0; i < states.length; i++) {
    const state = states[i]!;
    restrictedScopes.push(
      ...scopeSelectors(state.quota).filter((s) => safeScope(evaluator, s, input)),
    );
    if (!matches(evaluator, state.quota, input)) continue;
    const restricted = evaluator.matchingResources(resourceNames(state.hard));
    const failed = evaluator.constraints(restricted, input);
    if (failed) throw quotaForbidden(attrs, `failed quota: ${quotaName(state)}: ${failed}`);
    if (!hasUsageStats(state, restricted))
      throw quotaForbidden(
        attrs,
        `status unknown for quota: ${quotaName(state)}, resources: ${prettyPrintNames(restricted)}`,
      );
    interesting.push(i);
    for (const r of restricted) restrictedResources.add(r);
  }

  const inputUsage = evaluator.usage(input, now);
  const negative = isNegative(inputUsage);
  if (negative.length > 0)
    throw quotaForbidden(
      attrs,
      `quota usage is negative for resource(s): ${prettyPrintNames(negative)}`,
    );

  const deltas = new Map<number, ResourceList>(interesting.map((i) => [i, inputUsage]));
  let deltaWithoutQuota: ResourceList =
    attrs.operation === 'CREATE' && interesting.length === 0 ? inputUsage : {};
  if (attrs.operation === 'UPDATE') {
    const prev = attrs.oldObject;
    if (!prev)
      throw quotaForbidden(
        attrs,
        'unable to get previous usage since prior version of object was not found',
      );
    // Without a resourceVersion this is a create-on-update: charge it all.
    if (prev.metadata?.resourceVersion) {
      const delta = subtractNonNegative(inputUsage, evaluator.usage(prev, now));
      if (interesting.length === 0) deltaWithoutQuota = delta;
      for (const i of interesting)
        if (matches(evaluator, states[i]!.quota, prev)) deltas.set(i, delta);
    } else if (interesting.length === 0) {
      deltaWithoutQuota = inputUsage;
    }
  }
  for (const [i, d] of deltas) {
    const nonZero = removeZeros(d);
    if (Object.keys(nonZero).length === 0) deltas.delete(i);
    else deltas.set(i, nonZero);
  }
  if (
    interesting.length > 0
      ? deltas.size === 0
      : Object.keys(removeZeros(deltaWithoutQuota)).length === 0
  )
    return states;

  const uncoveredNames = [...limits.names].filter((n) => !restrictedResources.has(n));
  if (uncoveredNames.length > 0)
    throw quotaForbidden(
      attrs,
      `insufficient quota to consume: ${prettyPrintNames(uncoveredNames)}`,
    );
  const uncoveredScopes = limits.scopes.filter(
    (l) => !restrictedScopes.some((r) => r.scopeName === l.scopeName),
  );
  // kube returns this one as a plain error, which clients see as a 500 with no reason.
  if (uncoveredScopes.length > 0)
    throw new StatusError({
      code: 500,
      message: `insufficient quota to match these scopes: ${formatScopes(uncoveredScopes)}`,
    });
  if (interesting.length === 0) return states;

  const out = states.slice();
  for (const [i, delta] of deltas) {
    const state = states[i]!;
    const requested = mask(delta, resourceNames(state.hard));
    const newUsed = add(state.used, requested);
    if (attrs.subresource !== 'status') {
      const { allowed, exceeded } = lessThanOrEqual(
        mask(newUsed, resourceNames(requested)),
        state.hard,
      );
      if (!allowed)
        throw quotaForbidden(
          attrs,
          `exceeded quota: ${quotaName(state)}, requested: ${prettyPrint(mask(requested, exceeded))}, used: ${prettyPrint(mask(state.used, exceeded))}, limited: ${prettyPrint(mask(state.hard, exceeded))}`,
        );
    }
    out[i] = { ...state, used: newUsed };
  }
  return out;
}

/** A QuotaState from a stored ResourceQuota (status.hard is what admission enforces). */
export function stateOf(quota: KubeObject): QuotaState {
  return { quota, hard: statusHard(quota), used: statusUsed(quota) };
}
