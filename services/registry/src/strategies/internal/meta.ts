// The one place strategies reach the shared validation helpers of @splitplane/apimachinery
// (name/label/annotation rules, ObjectMeta, label selectors), so a change in their
// signatures touches one file.
import {
  type FieldError,
  invalid,
  isConfigMapKey as sharedIsConfigMapKey,
  isDNS1035Label as sharedIsDNS1035Label,
  isDNS1123Label as sharedIsDNS1123Label,
  isDNS1123Subdomain as sharedIsDNS1123Subdomain,
  isQualifiedName as sharedIsQualifiedName,
  isValidLabelValue as sharedIsValidLabelValue,
  isValidPortName as sharedIsValidPortName,
  isValidPortNum as sharedIsValidPortNum,
  isEnvVarName as sharedIsEnvVarName,
  isHTTPHeaderName as sharedIsHTTPHeaderName,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateLabels as sharedValidateLabels,
  validateAnnotations as sharedValidateAnnotations,
  validateLabelSelector as sharedValidateLabelSelector,
  fromLabelSelector,
  nameIsDNSSubdomain,
  nameIsDNSLabel,
  nameIsDNS1035Label,
  validatePathSegmentName,
} from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';

/** Returns the reasons a name is invalid (empty when valid); `prefix` is true for generateName. */
export type NameRule = (name: string, prefix: boolean) => string[];

export const NAME_DNS_SUBDOMAIN: NameRule = nameIsDNSSubdomain;
export const NAME_DNS_LABEL: NameRule = nameIsDNSLabel;
export const NAME_DNS_1035_LABEL: NameRule = nameIsDNS1035Label;
export const NAME_PATH_SEGMENT: NameRule = validatePathSegmentName;

export const isDNS1123Label = (v: string): string[] => sharedIsDNS1123Label(v);
export const isDNS1123Subdomain = (v: string): string[] => sharedIsDNS1123Subdomain(v);
export const isDNS1035Label = (v: string): string[] => sharedIsDNS1035Label(v);
export const isConfigMapKey = (v: string): string[] => sharedIsConfigMapKey(v);
export const isQualifiedName = (v: string): string[] => sharedIsQualifiedName(v);
export const isValidLabelValue = (v: string): string[] => sharedIsValidLabelValue(v);
export const isValidPortName = (v: string): string[] => sharedIsValidPortName(v);
export const isValidPortNum = (v: number): string[] => sharedIsValidPortNum(v);
export const isEnvVarName = (v: string): string[] => sharedIsEnvVarName(v);
export const isHTTPHeaderName = (v: string): string[] => sharedIsHTTPHeaderName(v);

export function validateMeta(obj: KubeObject, namespaced: boolean, rule: NameRule): FieldError[] {
  return validateObjectMeta(obj.metadata ?? {}, { namespaced, nameValidator: rule }, 'metadata');
}

export function validateMetaUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {}, 'metadata');
}

export function validateLabels(labels: unknown, path: string): FieldError[] {
  return sharedValidateLabels((labels ?? {}) as Record<string, string>, path);
}

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  return sharedValidateAnnotations((annotations ?? {}) as Record<string, string>, path);
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  return sharedValidateLabelSelector(sel as LabelSelector, {}, path);
}

/**
 * Whether a metav1.LabelSelector selects the label set (nil selects nothing, empty
 * everything); throws SelectorParseError for a selector that does not convert.
 */
export function selectorMatches(
  sel: LabelSelector | null | undefined,
  labels: Record<string, string>,
): boolean {
  return fromLabelSelector(sel).matches(labels);
}

export function selectorIsEmpty(sel: LabelSelector | undefined): boolean {
  if (!sel) return true;
  return Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
}

/** field.Invalid for each message a check returned. */
export function each(path: string, value: unknown, msgs: string[]): FieldError[] {
  return msgs.map((m) => invalid(path, value, m));
}
