// Label maps and metav1.LabelSelector validation (k8s.io/apimachinery/pkg/apis/meta/v1/validation).
import { type FieldErrorList, forbidden, invalid, required } from '../errors/index.js';
import { child, index } from './field-path.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[] | null;
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

export function validateLabelName(name: string, fieldPath: string): FieldErrorList {
  return isQualifiedName(name).map((msg) => invalid(fieldPath, name, msg));
}

/** Keys in sorted order so messages are deterministic (Go's map order is random anyway). */
export function validateLabels(
  labels: Record<string, string> | null | undefined,
  fieldPath: string,
): FieldErrorList {
  const errs: FieldErrorList = [];
  for (const k of Object.keys(labels ?? {}).sort()) {
    const v = labels![k]!;
    errs.push(...validateLabelName(k, fieldPath));
    for (const msg of isValidLabelValue(String(v))) errs.push(invalid(fieldPath, v, msg));
  }
  return errs;
}

export interface LabelSelectorValidationOptions {
  /** Tolerate values that are not valid label values (kube keeps this for old objects). */
  allowInvalidLabelValueInSelector?: boolean;
}

export function validateLabelSelector(
  selector: LabelSelector | null | undefined,
  opts: LabelSelectorValidationOptions,
  fieldPath: string,
): FieldErrorList {
  if (!selector) return [];
  const errs = validateLabels(selector.matchLabels, child(fieldPath, 'matchLabels'));
  (selector.matchExpressions ?? []).forEach((expr, i) => {
    errs.push(
      ...validateLabelSelectorRequirement(
        expr,
        opts,
        index(child(fieldPath, 'matchExpressions'), i),
      ),
    );
  });
  return errs;
}

export function validateLabelSelectorRequirement(
  req: LabelSelectorRequirement,
  opts: LabelSelectorValidationOptions,
  fieldPath: string,
): FieldErrorList {
  const errs: FieldErrorList = [];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        errs.push(
          required(
            child(fieldPath, 'values'),
            "must be specified when `operator` is 'In' or 'NotIn'",
          ),
        );
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errs.push(
          forbidden(
            child(fieldPath, 'values'),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
      }
      break;
    default:
      errs.push(
        invalid(child(fieldPath, 'operator'), req.operator, 'not a valid selector operator'),
      );
  }
  errs.push(...validateLabelName(req.key ?? '', child(fieldPath, 'key')));
  if (!opts.allowInvalidLabelValueInSelector) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(v))
        errs.push(invalid(index(child(fieldPath, 'values'), i), v, msg));
    });
  }
  return errs;
}
