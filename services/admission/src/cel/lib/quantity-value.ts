// resource.Quantity as an exact rational (BigInt numerator/denominator), enough for the
// Kubernetes CEL quantity library: parse, compare, add/sub, integer/float views, sign.
import { CelFunctionError } from '../errors.js';

const QUANTITY =
  /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))((?:[KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
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
    if (!q)
      throw new CelFunctionError(
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      );
    return q;
  }

  static tryParse(text: string): Quantity | undefined {
    const m = QUANTITY.exec(text.trim());
    if (!m) return undefined;
    const [whole = '', frac = ''] = m[1]!.replace(/^[+-]/, '').split('.');
    let num = BigInt((whole || '0') + frac);
    let den = 10n ** BigInt(frac.length);
    if (m[1]!.startsWith('-')) num = -num;
    const suffix = m[2] ?? '';
    if (suffix in BINARY) num *= 1024n ** BigInt(BINARY[suffix]!);
    else {
      const exp = suffix in DECIMAL ? DECIMAL[suffix]! : suffix ? Number(suffix.slice(1)) : 0;
      if (Math.abs(exp) > 1000) return undefined;
      if (exp >= 0) num *= 10n ** BigInt(exp);
      else den *= 10n ** BigInt(-exp);
    }
    return Quantity.of(num, den, text);
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
