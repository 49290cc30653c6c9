// Tables for admissionregistration.k8s.io: webhook configurations, ValidatingAdmissionPolicy
// and its bindings, with kube's columns and cells.
import type { KubeObject, Printer } from '../resource-definition.js';
import { ageColumn, col, nameColumn } from './columns.js';
import { since } from './duration.js';
import { arr, compare, obj, str } from './format.js';

const name = (o: KubeObject) => str(obj(o.metadata).name);
const age = (o: KubeObject, now: Date) => since(obj(o.metadata).creationTimestamp, now);

const webhookConfigurationPrinter: Printer = {
  columns: [
    nameColumn(),
    col(
      'Webhooks',
      'integer',
      'Webhooks indicates the number of webhooks registered in this configuration',
    ),
    ageColumn(),
  ],
  row: (o, now) => [name(o), arr(o['webhooks']).length, age(o, now)],
};

export const mutatingWebhookConfigurationPrinter = webhookConfigurationPrinter;
export const validatingWebhookConfigurationPrinter = webhookConfigurationPrinter;

export const validatingAdmissionPolicyPrinter: Printer = {
  columns: [
    nameColumn(),
    col(
      'Validations',
      'integer',
      'Validations indicates the number of validation rules defined in this configuration',
    ),
    col(
      'ParamKind',
      'string',
      'ParamKind specifies the kind of resources used to parameterize this policy',
    ),
    ageColumn(),
  ],
  row(o, now) {
    const spec = obj(o['spec']);
    const pk = spec['paramKind'];
    const paramKind =
      pk === undefined || pk === null
        ? '<unset>'
        : `${str(obj(pk).apiVersion)}/${str(obj(pk).kind)}`;
    return [name(o), arr(spec['validations']).length, paramKind, age(o, now)];
  },
};

export const validatingAdmissionPolicyBindingPrinter: Printer = {
  columns: [
    nameColumn(),
    col(
      'PolicyName',
      'string',
      'PolicyName indicates the policy definition which the policy binding binded to',
    ),
    col(
      'ParamRef',
      'string',
      'ParamRef indicates the param resource which sets the configration param',
    ),
    ageColumn(),
  ],
  row(o, now) {
    const spec = obj(o['spec']);
    return [name(o), str(spec['policyName']), paramRefCell(spec['paramRef']), age(o, now)];
  },
};

/** kube: "<ns>/<name>", "*\/<name>" without a namespace, or the selector's Go String(). */
function paramRefCell(ref: unknown): string {
  if (ref === undefined || ref === null) return '<unset>';
  const pr = obj(ref);
  const refName = str(pr['name']);
  if (refName !== '') {
    const ns = str(pr['namespace']);
    return ns !== '' ? `${ns}/${refName}` : `*/${refName}`;
  }
  if (pr['selector'] !== undefined && pr['selector'] !== null) {
    return goLabelSelectorString(pr['selector']);
  }
  return '<unset>';
}

/** The generated String() of a metav1.LabelSelector, which kube prints here verbatim. */
export function goLabelSelectorString(selector: unknown): string {
  const sel = obj(selector);
  const labels = obj(sel['matchLabels']);
  const keys = Object.keys(labels).sort(compare);
  const labelsStr = `map[string]string{${keys.map((k) => `${k}: ${str(labels[k])},`).join('')}}`;
  const exprs = arr(sel['matchExpressions'])
    .map(obj)
    .map(
      (e) =>
        `LabelSelectorRequirement{Key:${str(e['key'])},Operator:${str(e['operator'])},Values:[${arr(e['values']).map(str).join(' ')}],},`,
    )
    .join('');
  return `&LabelSelector{MatchLabels:${labelsStr},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
