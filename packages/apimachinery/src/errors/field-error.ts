// Field-level validation errors, formatted as k8s.io/apimachinery/pkg/util/validation/field
// formats them, because clients and humans read these strings.
import type { CauseType, StatusCause } from './status.js';

export type FieldErrorType =
  | 'Required'
  | 'Invalid'
  | 'Duplicate'
  | 'NotSupported'
  | 'Forbidden'
  | 'TooLong'
  | 'TooMany'
  | 'NotFound'
  | 'TypeInvalid'
  | 'InternalError';

const typeText: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  Duplicate: 'Duplicate value',
  NotSupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  TooLong: 'Too long',
  TooMany: 'Too many',
  NotFound: 'Not found',
  TypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

const causeType: Record<FieldErrorType, CauseType> = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  Duplicate: 'FieldValueDuplicate',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  NotFound: 'FieldValueNotFound',
  TypeInvalid: 'FieldValueTypeInvalid',
  InternalError: 'InternalError',
};

/** Types whose message omits the offending value, as kube's field.Error does. */
const omitsValue = new Set<FieldErrorType>(['Required', 'Forbidden', 'TooLong', 'InternalError']);

export class FieldError {
  constructor(
    readonly type: FieldErrorType,
    readonly field: string,
    readonly value: unknown,
    readonly detail = '',
  ) {}

  /** The part after the field path: `Invalid value: "x": detail`. */
  body(): string {
    let s = typeText[this.type];
    if (!omitsValue.has(this.type) && this.value !== omitted) s += `: ${formatValue(this.value)}`;
    if (this.detail) s += `: ${this.detail}`;
    return s;
  }

  toString(): string {
    return this.field ? `${this.field}: ${this.body()}` : this.body();
  }

  toCause(): StatusCause {
    return { reason: causeType[this.type], message: this.body(), field: this.field };
  }
}

/** Marks a FieldError whose value should not be printed. */
export const omitted: unique symbol = Symbol('omitted');

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (Array.isArray(value)) return `[]${value.length ? JSON.stringify(value) : '{}'}`;
  return JSON.stringify(value);
}

export type FieldErrorList = FieldError[];

// Constructors mirroring field.Required, field.Invalid, ... so validators read naturally.
export const required = (field: string, detail = '') =>
  new FieldError('Required', field, omitted, detail);
export const invalid = (field: string, value: unknown, detail = '') =>
  new FieldError('Invalid', field, value, detail);
export const duplicate = (field: string, value: unknown) =>
  new FieldError('Duplicate', field, value);
export const forbidden = (field: string, detail: string) =>
  new FieldError('Forbidden', field, omitted, detail);
export const tooLong = (field: string, maxLength: number) =>
  new FieldError('TooLong', field, omitted, `may not be more than ${maxLength} bytes`);
export const tooMany = (field: string, actual: number, max: number) =>
  new FieldError('TooMany', field, actual, `must have at most ${max} items`);
export const notFound = (field: string, value: unknown) => new FieldError('NotFound', field, value);
export function notSupported(field: string, value: unknown, supported: readonly string[]) {
  const detail = supported.length
    ? `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}`
    : '';
  return new FieldError('NotSupported', field, value, detail);
}
