// The label and field selectors of a list or watch, compiled once per request. The
// watch-cache filters lists with it, and every watch subscriber filters events with it.
import { fieldAttributes, type SelectableResource } from '../fields/attributes.js';
import { validateFieldSelector } from '../fields/field-labels.js';
import { parseFieldSelector, type FieldSet } from '../fields/selector.js';
import { parseSelector as parseLabelSelector } from '../labels/selector.js';

interface FilterableObject {
  metadata?: { labels?: Record<string, string> };
}

export interface ObjectFilter {
  /** True when no selector narrows the result (remainingItemCount is only exact then). */
  readonly everything: boolean;
  /** The exact `metadata.name` the field selector requires, if it requires one (single-object watches). */
  readonly name?: string;
  matches(obj: FilterableObject): boolean;
  /** The same test on precomputed labels and field attributes (cached objects keep them). */
  matchesSets(labels: Readonly<Record<string, string>>, fields: FieldSet): boolean;
}

/** Throws a 400 StatusError, as kube does, for a selector that does not parse or names an unsupported field. */
export function filterFor(
  def: SelectableResource,
  labelSelector: string,
  fieldSelector: string,
): ObjectFilter {
  const labels = parseLabelSelector(labelSelector);
  const fields = validateFieldSelector(def, parseFieldSelector(fieldSelector));
  const everything = labels.empty() && fields.empty();
  const name = fields.requiresExactMatch('metadata.name');
  return {
    everything,
    ...(name !== undefined ? { name } : {}),
    matches: everything
      ? () => true
      : (obj) =>
          labels.matches(obj.metadata?.labels ?? {}) &&
          fields.matches(fieldAttributes(def, obj as Record<string, unknown>)),
    matchesSets: everything
      ? () => true
      : (labelSet, fieldSet) => labels.matches(labelSet) && fields.matches(fieldSet),
  };
}
