// One term of a label selector: key, operator, values. Validation and matching follow
// k8s.io/apimachinery/pkg/labels.Requirement.
import { type FieldErrorList, invalid, notSupported } from '../errors/index.js';
import { child, index, key as keyPath } from '../validation/field-path.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';
import { SelectorParseError } from './errors.js';

export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

const validOperators: Operator[] = ['in', 'notin', '=', '==', '!=', 'exists', '!', 'gt', 'lt'];

export type Labels = Readonly<Record<string, string>>;

export class Requirement {
  private constructor(
    readonly key: string,
    readonly operator: Operator,
    /** Sorted, as kube keeps them (a string set listed in order). */
    readonly values: readonly string[],
  ) {}

  /**
   * Validated constructor. `path` is the field path used in messages; kube's string parser
   * passes none, which renders as "<nil>" for the key and a bare "values" for values.
   */
  static create(
    key: string,
    operator: Operator,
    values: readonly string[],
    path?: string,
  ): Requirement {
    const errs = validateRequirement(key, operator, values, path);
    if (errs.length) throw new SelectorParseError(aggregate(errs.map((e) => e.toString())));
    return new Requirement(key, operator, [...new Set(values)].sort(byteOrder));
  }

  matches(labels: Labels): boolean {
    const has = Object.prototype.hasOwnProperty.call(labels, this.key);
    switch (this.operator) {
      case 'in':
      case '=':
      case '==':
        return has && this.values.includes(labels[this.key]!);
      case 'notin':
      case '!=':
        return !has || !this.values.includes(labels[this.key]!);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt': {
        if (!has || this.values.length !== 1) return false;
        const actual = parseInt64(labels[this.key]!);
        const bound = parseInt64(this.values[0]!);
        if (actual === undefined || bound === undefined) return false;
        return this.operator === 'gt' ? actual > bound : actual < bound;
      }
    }
  }

  /** kube's canonical rendering: `k=v`, `k in (a,b)`, `!k`, `k>3`. */
  toString(): string {
    let s = this.operator === '!' ? `!${this.key}` : this.key;
    switch (this.operator) {
      case 'exists':
      case '!':
        return s;
      case 'in':
        s += ' in ';
        break;
      case 'notin':
        s += ' notin ';
        break;
      case 'gt':
        s += '>';
        break;
      case 'lt':
        s += '<';
        break;
      default:
        s += this.operator;
    }
    const vals = this.values.join(',');
    return this.operator === 'in' || this.operator === 'notin' ? `${s}(${vals})` : s + vals;
  }
}

function validateRequirement(
  key: string,
  operator: Operator,
  values: readonly string[],
  path: string | undefined,
): FieldErrorList {
  const base = path ?? '';
  const errs: FieldErrorList = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(invalid(child(base, 'key'), key, keyErrs.join('; ')));
  const valuesPath = child(base, 'values');
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) {
        errs.push(
          invalid(valuesPath, values, "for 'in', 'notin' operators, values set can't be empty"),
        );
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) {
        errs.push(
          invalid(valuesPath, values, 'exact-match compatibility requires one single value'),
        );
      }
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) {
        errs.push(
          invalid(valuesPath, values, 'values set must be empty for exists and does not exist'),
        );
      }
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) {
        errs.push(
          invalid(valuesPath, values, "for 'Gt', 'Lt' operators, exactly one value is required"),
        );
      }
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(
            invalid(
              index(valuesPath, i),
              v,
              "for 'Gt', 'Lt' operators, the value must be an integer",
            ),
          );
        }
      });
      break;
    default:
      errs.push(notSupported(child(base, 'operator'), operator, validOperators));
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(invalid(keyPath(index(valuesPath, i), key), v, msgs.join('; ')));
  });
  return errs;
}

/** Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > 9223372036854775807n || n < -9223372036854775808n ? undefined : n;
}

/** Go's errors aggregate: one message alone, several bracketed and de-duplicated. */
export function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

/** Go compares strings bytewise; for UTF-16 this matches except astral pairs, which labels can't hold. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
