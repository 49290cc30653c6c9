// Which field labels a resource accepts in a field selector, with kube's error messages.
// Kinds that register a field-label conversion (those with selectable fields, and every custom
// resource) say "field label not supported: X"; the others fall back to kube's default
// conversion, which only knows metadata.name and metadata.namespace.
import { type StatusError, newBadRequest } from '../errors/index.js';
import type { SelectableResource } from './attributes.js';
import type { FieldSelector } from './selector.js';

export interface FieldLabelOptions {
  /** A custom resource: always the "field label not supported" wording. */
  custom?: boolean;
}

/** Legacy names kube still accepts and rewrites (old v1 clients send spec.host for pods). */
const aliases: Record<string, Record<string, string>> = {
  '/Pod': { 'spec.host': 'spec.nodeName' },
};

/** What a kind with a registered conversion accepts (cluster-scoped kinds lack metadata.namespace). */
export function supportedFieldLabels(def: SelectableResource): string[] {
  const labels = ['metadata.name'];
  if (def.namespaced) labels.push('metadata.namespace');
  return labels.concat(def.selectableFields);
}

/**
 * Checks every term's field against what the resource supports and applies kube's aliases.
 * Throws a 400 BadRequest StatusError with kube's message, as the list/watch handlers do.
 */
export function validateFieldSelector(
  def: SelectableResource,
  selector: FieldSelector,
  opts: FieldLabelOptions = {},
): FieldSelector {
  const registered = opts.custom || def.selectableFields.length > 0;
  const supported = new Set(
    registered ? supportedFieldLabels(def) : ['metadata.name', 'metadata.namespace'],
  );
  const alias = aliases[`${def.group}/${def.kind}`] ?? {};
  return selector.transform((field, value) => {
    const target = alias[field] ?? field;
    if (!supported.has(target)) throw unsupported(field, registered);
    return [target, value];
  });
}

function unsupported(field: string, registered: boolean): StatusError {
  return newBadRequest(
    registered
      ? `field label not supported: ${field}`
      : `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
  );
}
