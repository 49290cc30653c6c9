// resource.Quantity as an exact rational (BigInt numerator/denominator), enough for the
// Kubernetes CEL quantity library: compare, add/sub, integer/float views, sign. Parsing is
// the API server's own (apimachinery), so CEL reads a quantity exactly as validation does.
import { QUANTITY_FORMAT_MESSAGE, tryParseQuantity } from '@splitplane/apimachinery';
import { CelFunctionError } from '../errors.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  while (b) [a, b] = [b, a % b];
  return a;
};

export class Quantity {
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
    private readonly text: string,
  ) {}

  static parse(text: string): Quantity {
    const q = Quantity.tryParse(text);
    if (!q) throw new CelFunctionError(QUANTITY_FORMAT_MESSAGE);
    return q;
  }

  /** Parsed as the API server parses quantities (apimachinery's parseQuantity). */
  static tryParse(text: string): Quantity | undefined {
    const q = tryParseQuantity(text);
    if (!q) return undefined;
    return q.scale >= 0
      ? Quantity.of(q.digits * 10n ** BigInt(q.scale), 1n, text)
      : Quantity.of(q.digits, 10n ** BigInt(-q.scale), text);
  }

  private static of(num: bigint, den: bigint, text?: string): Quantity {
    const g = gcd(num, den) || 1n;
    const q = new Quantity(num / g, den / g, '');
    return new Quantity(q.num, q.den, text ?? q.format());
  }

  static fromInt(n: bigint): Quantity {
    return Quantity.of(n, 1n);
  }

  compareTo(other: Quantity): bigint {
    const l = this.num * other.den;
    const r = other.num * this.den;
    return l < r ? -1n : l > r ? 1n : 0n;
  }

  add(other: Quantity): Quantity {
    return Quantity.of(this.num * other.den + other.num * this.den, this.den * other.den);
  }

  sub(other: Quantity): Quantity {
    return Quantity.of(this.num * other.den - other.num * this.den, this.den * other.den);
  }

  isInteger(): boolean {
    return this.den === 1n && this.num <= INT64_MAX && this.num >= INT64_MIN;
  }

  asInteger(): bigint {
    if (!this.isInteger()) throw new CelFunctionError('cannot convert value to integer');
    return this.num;
  }

  asApproximateFloat(): number {
    return Number(this.num) / Number(this.den);
  }

  sign(): bigint {
    return this.num < 0n ? -1n : this.num > 0n ? 1n : 0n;
  }

  equals(other: Quantity): boolean {
    return this.compareTo(other) === 0n;
  }

  toString(): string {
    return this.text;
  }

  private format(): string {
    if (this.den === 1n) return this.num.toString();
    // Denominators here are products of 2s and 5s only, so a finite decimal exists.
    let scale = 0;
    let n = this.num;
    let d = this.den;
    while (d !== 1n && scale < 40) {
      n *= 10n;
      scale++;
      const g = gcd(n, d);
      n /= g;
      d /= g;
    }
    return `${n}e-${scale}`;
  }
}
