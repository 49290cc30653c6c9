// IntOrString rollout knobs (maxUnavailable, maxSurge): kube's ValidatePositiveIntOrPercent,
// IsNotMoreThan100Percent and getIntOrPercentValue.
import { type FieldError, invalid, regexError } from '@splitplane/apimachinery';
import { isInt } from '../internal/json.js';

const PERCENT = /^[0-9]+%$/;
const PERCENT_MSG = regexError(
  "a valid percent string must be a numeric string followed by an ending '%'",
  '[0-9]+%',
  '1%',
  '93%',
);

export function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return PERCENT.test(v) ? [] : [invalid(path, v, PERCENT_MSG)];
  if (isInt(v)) return v < 0 ? [invalid(path, v, 'must be greater than or equal to 0')] : [];
  return [invalid(path, v, "must be an integer or percentage (e.g '5%')")];
}

function percentValue(v: unknown): number | undefined {
  return typeof v === 'string' && PERCENT.test(v) ? Number(v.slice(0, -1)) : undefined;
}

/** The number a value stands for (percent or plain), 0 when unset or malformed. */
export function intOrPercentValue(v: unknown): number {
  const p = percentValue(v);
  if (p !== undefined) return p;
  if (isInt(v)) return v;
  // intstr.IntValue parses a non-percent string as an integer, 0 on failure.
  if (typeof v === 'string' && /^-?[0-9]+$/.test(v)) return Number(v);
  return 0;
}

export function isNotMoreThan100Percent(v: unknown, path: string): FieldError[] {
  const p = percentValue(v);
  return p !== undefined && p > 100 ? [invalid(path, v, 'must not be greater than 100%')] : [];
}
