// The label and field selectors of a list or watch, compiled once per request.
import {
  parseFieldSelector,
  parseSelector as parseLabelSelector,
  fieldAttributes,
  validateFieldSelector,
} from '@splitplane/apimachinery';
import type { KubeObject, ResourceDefinition } from '@splitplane/scheme';

export interface ObjectFilter {
  /** True when no selector narrows the result (remainingItemCount is only exact then). */
  readonly everything: boolean;
  matches(obj: KubeObject): boolean;
}

export function filterFor(
  def: ResourceDefinition,
  labelSelector: string,
  fieldSelector: string,
): ObjectFilter {
  const labels = parseLabelSelector(labelSelector);
  const fields = parseFieldSelector(fieldSelector);
  validateFieldSelector(def, fields);
  const everything = labels.empty() && fields.empty();
  return {
    everything,
    matches: everything
      ? () => true
      : (obj) =>
          labels.matches(obj.metadata?.labels ?? {}) && fields.matches(fieldAttributes(def, obj)),
  };
}
