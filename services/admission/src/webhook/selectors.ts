// namespaceSelector and objectSelector as kube's namespace and object matchers.
import {
  fromLabelSelector,
  newInternalError,
  newNotFound,
  type LabelSelector,
  type Selector,
} from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type { AdmissionAttributes } from '../chain/plugin.js';
import type { NamespaceLister } from './types.js';

/** v1 defaults an absent selector to `{}` (everything); a malformed one is a 500 as in kube. */
function parse(selector: LabelSelector | undefined): Selector {
  try {
    return fromLabelSelector(selector ?? {});
  } catch (err) {
    throw newInternalError(err);
  }
}

const isEverything = (s: LabelSelector | undefined) =>
  !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);

const labelsOf = (obj: KubeObject | undefined) => obj?.metadata?.labels ?? {};

function isNamespaceRequest(a: AdmissionAttributes): boolean {
  return a.resource.group === '' && a.resource.resource === 'namespaces' && a.subresource === '';
}

export function matchesNamespaceSelector(
  selector: LabelSelector | undefined,
  attributes: AdmissionAttributes,
  namespaces: NamespaceLister,
): boolean {
  // Cluster-scoped objects other than namespaces are never exempted by a namespaceSelector.
  if (!attributes.namespace && attributes.resource.resource !== 'namespaces') return true;
  if (isEverything(selector)) return true;
  const parsed = parse(selector);
  if (isNamespaceRequest(attributes)) {
    // A namespace being created or updated is matched on its own (new) labels; the lister
    // does not have them yet. A delete reads the stored namespace like any other request.
    if (attributes.operation === 'CREATE' || attributes.operation === 'UPDATE')
      return parsed.matches(labelsOf(attributes.object));
  }
  const name = attributes.namespace;
  const ns = namespaces.get(name);
  if (!ns) throw newNotFound({ group: '', resource: 'namespaces' }, name);
  return parsed.matches(labelsOf(ns));
}

export function matchesObjectSelector(
  selector: LabelSelector | undefined,
  attributes: AdmissionAttributes,
): boolean {
  if (isEverything(selector)) return true;
  const parsed = parse(selector);
  const matches = (obj: KubeObject | undefined) =>
    obj !== undefined && parsed.matches(labelsOf(obj));
  return matches(attributes.object) || matches(attributes.oldObject);
}
