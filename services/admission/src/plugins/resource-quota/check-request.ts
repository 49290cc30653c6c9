// kube's CheckRequest (k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go):
// given the namespace's quotas as they stand, refuse a request that breaks one, or return
// the quotas' usage with the request charged. Pure: the caller persists the result.
import { newInternalError } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes } from '../../chain/plugin.js';
import { quotaMatches, scopeSelectors, statusHard, statusUsed } from './evaluators/quota-object.js';
import type { Evaluator } from './evaluators/types.js';
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

/**
 * Returns `states` with the request charged (the same array when it charges nothing), or
 * throws kube's 403 (exceeded quota, failed quota, status unknown...).
 */
export function checkRequest(
  states: QuotaState[],
  attrs: AdmissionAttributes,
  evaluator: Evaluator,
  now: Date = new Date(),
): QuotaState[] {
  const input = attrs.object;
  if (!input) return states;
  const interesting: number[] = [];
  for (let i = 0; i < states.length; i++) {
    const state = states[i]!;
    // Scope errors surface here, as kube's MatchingScopes does before Matches.
    scopeSelectors(state.quota);
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
  }
  if (interesting.length === 0) return states;

  const inputUsage = evaluator.usage(input, now);
  const negative = isNegative(inputUsage);
  if (negative.length > 0)
    throw quotaForbidden(
      attrs,
      `quota usage is negative for resource(s): ${prettyPrintNames(negative)}`,
    );

  const deltas = new Map<number, ResourceList>(interesting.map((i) => [i, inputUsage]));
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
      for (const i of interesting)
        if (matches(evaluator, states[i]!.quota, prev)) deltas.set(i, delta);
    }
  }
  for (const [i, d] of deltas) {
    const nonZero = removeZeros(d);
    if (Object.keys(nonZero).length === 0) deltas.delete(i);
    else deltas.set(i, nonZero);
  }
  if (deltas.size === 0) return states;

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
